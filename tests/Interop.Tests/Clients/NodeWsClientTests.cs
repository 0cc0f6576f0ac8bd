using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Clients;

/// <summary>The Node.js 'ws' library as a client of samples/Echo (peers/ws-client.mjs).</summary>
[Collection(EchoServerCollection.Name)]
public sealed class NodeWsClientTests(EchoServerFixture echo)
{
    private const PeerKind Peer = PeerKind.NodeWs;

    [PeerFact(Peer)]
    public Task TextMessages_RoundTripUnchanged() => EchoScenarios.TextMessagesRoundTripAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task BinaryMessages_RoundTripUnchanged() => EchoScenarios.BinaryMessagesRoundTripAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task FragmentedMessages_ArriveWhole() => EchoScenarios.FragmentedMessagesArriveWholeAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task TextFragmentedInsideUtf8Sequence_ArrivesWhole() =>
        EchoScenarios.TextSplitInsideUtf8SequenceArrivesWholeAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task Ping_IsAnsweredWithPongOfSamePayload() => EchoScenarios.PingIsAnsweredWithSamePayloadAsync(Peer, echo);

    [PeerFact(Peer)]
    public Task Close4001_IsAnsweredWithSameCode() => EchoScenarios.CloseCodeIsEchoedAsync(Peer, echo);

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
