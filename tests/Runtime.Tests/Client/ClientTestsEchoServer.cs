using System.Globalization;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>
/// The annotated server the client tests connect to: echoes text and binary, and closes with the code and reason
/// asked for by a text "close:CODE:REASON". Its path is unique to the client tests; it is mapped explicitly
/// (never through a registry-wide MapAnnotatedWebSockets) so other tests' hosts do not serve it.
/// </summary>
[ServerEndpoint("/client-tests/echo", Subprotocols = ["chat.v2", "chat.v1"])]
public sealed class ClientTestsEchoServer
{
    [OnOpen]
    public void Open(WebSocketSession session) => ServerLog.Add(session, $"open:{session.NegotiatedSubprotocol}");

    [OnMessage]
    public async Task Text(WebSocketSession session, string text)
    {
        if (text.StartsWith("close:", StringComparison.Ordinal))
        {
            var parts = text.Split(':', 3);
            await session.CloseAsync(new CloseReason((CloseCode)int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]));
            return;
        }

        await session.BasicRemote.SendTextAsync(text);
    }

    [OnMessage]
    public Task Binary(WebSocketSession session, byte[] data) => session.BasicRemote.SendBinaryAsync(data);

    [OnClose]
    public void Close(WebSocketSession session, CloseReason reason) =>
        ServerLog.Add(session, $"close:{(int)reason.Code}:{reason.ReasonPhrase}");
}
