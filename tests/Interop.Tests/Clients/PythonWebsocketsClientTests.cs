using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Clients;

/// <summary>The Python 'websockets' library as a client of samples/Echo (peers/websockets_client.py).</summary>
[Collection(EchoServerCollection.Name)]
public sealed class PythonWebsocketsClientTests(EchoServerFixture echo)
{
    private const PeerKind Peer = PeerKind.PythonWebsockets;

    [PeerFact(Peer)]
    public Task TextMessages_RoundTripUnchanged() => EchoScenarios.TextMessagesRoundTripAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task BinaryMessages_RoundTripUnchanged() => EchoScenarios.BinaryMessagesRoundTripAsync(Peer, echo);

    /// <summary>websockets sends an async iterator of fragments as one message, one frame per fragment.</summary>
    [PeerFact(Peer)]
    public Task FragmentedMessages_ArriveWhole() => EchoScenarios.FragmentedMessagesArriveWholeAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task Ping_IsAnsweredWithPongOfSamePayload() => EchoScenarios.PingIsAnsweredWithSamePayloadAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task Close4001_IsAnsweredWithSameCode() => EchoScenarios.CloseCodeIsEchoedAsync(Peer, echo);

    /// <summary>websockets offers permessage-deflate by default (compression="deflate").</summary>
    [PeerFact(Peer)]
    public Task PerMessageDeflate_IsNegotiatedAndLargeMessagesRoundTrip() =>
        EchoScenarios.PerMessageDeflateIsNegotiatedAndLargeMessagesRoundTripAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task PerMessageDeflate_NoContextTakeoverOffer_IsHonoured() =>
        EchoScenarios.PerMessageDeflateNoContextTakeoverIsHonouredAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task PerMessageDeflate_SmallServerWindowOffer_IsHonoured() =>
        EchoScenarios.PerMessageDeflateSmallServerWindowIsHonouredAsync(Peer, echo);
}
