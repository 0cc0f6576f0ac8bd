namespace Annotated.WebSockets.Reliability.Tests.Handshake;

/// <summary>Echoes each text message: the endpoint the handshake attacks aim at, and the proof the server still serves.</summary>
[ServerEndpoint("/handshake/echo")]
public sealed class HandshakeEchoEndpoint
{
    [OnMessage]
    public string Echo(string text) => text;
}
