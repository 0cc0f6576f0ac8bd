namespace Annotated.WebSockets.Interop.Tests.InProcess;

/// <summary>
/// A test-only endpoint (the samples declare no subprotocols): it supports two, in the server's order of
/// preference, and answers every text message with the subprotocol the session negotiated, so a peer can
/// check both the handshake header and what the endpoint itself sees.
/// </summary>
[ServerEndpoint(Path, Subprotocols = ["interop.v2", "interop.v1"])]
public sealed class SubprotocolEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/interop/subprotocol";

    /// <summary>Answers "&lt;negotiated subprotocol&gt;|&lt;text&gt;".</summary>
    [OnMessage]
    public string Message(string text, WebSocketSession session) => session.NegotiatedSubprotocol + "|" + text;
}
