using System.Text;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>An annotated client endpoint that records every callback; a text "throw" makes its handler throw.</summary>
[ClientEndpoint(Subprotocols = ["chat.v3", "chat.v1"])]
public sealed class RecordingClientEndpoint
{
    public EventLog Events { get; } = new();

    [OnOpen]
    public void Open(WebSocketSession session, EndpointConfig config) => Events.Add("open");

    [OnMessage]
    public void Text(string text)
    {
        if (text == "throw")
        {
            throw new InvalidOperationException("boom");
        }

        Events.Add($"text:{text}");
    }

    [OnMessage]
    public void Binary(byte[] data) => Events.Add($"binary:{Convert.ToHexString(data)}");

    [OnMessage]
    public void Pong(PongMessage pong) => Events.Add($"pong:{Encoding.UTF8.GetString(pong.ApplicationData.Span)}");

    [OnClose]
    public void Close(CloseReason reason) => Events.Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}");

    [OnError]
    public void Error(Exception error) => Events.Add($"error:{error.GetType().Name}:{error.Message}");
}
