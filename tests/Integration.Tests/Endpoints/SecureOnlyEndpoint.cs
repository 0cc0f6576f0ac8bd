namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>An endpoint of transport guarantee CONFIDENTIAL (§8.3): wss handshakes only.</summary>
[ServerEndpoint("/it/secure-only", RequireSecureConnection = true)]
public sealed class SecureOnlyEndpoint
{
    [OnMessage]
    public string Text(string text) => text;
}
