namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Echoes text and first reports the extensions the session negotiated.</summary>
[ServerEndpoint("/it/deflate")]
public sealed class DeflateEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session) =>
        session.BasicRemote.SendTextAsync("ext:" + string.Join(",", session.NegotiatedExtensions.Select(e => e.ToString())));

    [OnMessage]
    public string Echo(string text) => text;
}
