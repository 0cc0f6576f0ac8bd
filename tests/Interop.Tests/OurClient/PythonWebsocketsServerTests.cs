using Annotated.WebSockets.Client;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>Our client against the Python 'websockets' library as the server.</summary>
public sealed class PythonWebsocketsServerTests
{
    private const PeerKind Peer = PeerKind.PythonWebsockets;

    [PeerFact(Peer)]
    public Task TextAndBinary_RoundTrip() => OurClientScenarios.TextAndBinaryRoundTripAsync(Peer);

    [PeerFact(Peer)]
    public Task ProgrammaticEndpointCoders_RoundTrip() => OurClientScenarios.ProgrammaticEndpointCodersRoundTripAsync(Peer);

    [PeerFact(Peer)]
    public Task FragmentedMessages_ArriveInPartsAndWhole() => OurClientScenarios.FragmentedMessagesArriveInPartsAndWholeAsync(Peer);

    [PeerFact(Peer)]
    public Task MessagesSentInParts_ArriveWhole() => OurClientScenarios.MessagesSentInPartsArriveWholeAsync(Peer);

    [PeerFact(Peer)]
    public Task Ping_IsAnsweredWithAPong() => OurClientScenarios.PingIsAnsweredWithAPongAsync(Peer);

    [PeerFact(Peer)]
    public Task CloseCodesAndReasons_TravelBothWays() => OurClientScenarios.CloseCodesAndReasonsTravelBothWaysAsync(Peer);

    [PeerFact(Peer)]
    public Task Subprotocol_IsNegotiated() => OurClientScenarios.SubprotocolIsNegotiatedAsync(Peer);

    [PeerFact(Peer)]
    public Task PerMessageDeflate_WithContextTakeover() =>
        OurClientScenarios.PerMessageDeflateIsNegotiatedAndWorksAsync(Peer, new PerMessageDeflateOffer());

    [PeerFact(Peer)]
    public Task PerMessageDeflate_WithoutContextTakeoverAndASmallServerWindow() =>
        OurClientScenarios.PerMessageDeflateIsNegotiatedAndWorksAsync(
            Peer, new PerMessageDeflateOffer { ClientNoContextTakeover = true, ServerNoContextTakeover = true, ServerMaxWindowBits = 10 });

    [PeerFact(Peer)]
    public Task ConfiguredExtension_IsOfferedWithItsParameters() => OurClientScenarios.ConfiguredExtensionIsOfferedWithItsParametersAsync(Peer);
}
