namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Answers with what the session knows: its subprotocol on open, and "count" with the open sessions.</summary>
[ServerEndpoint("/it/sessions/{group}", Subprotocols = ["v2.chat", "v1.chat"])]
public sealed class SessionsEndpoint
{
    private int _messages;

    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync($"subprotocol:{session.NegotiatedSubprotocol}");

    [OnMessage]
    public string Text(WebSocketSession session, string text, [PathParam("group")] string group) => text switch
    {
        "count" => session.OpenSessions.Count(s => s.PathParameters["group"] == group).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{++_messages}:{text}",
    };
}
