using System.Text;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>Our annotated client endpoint taking whole messages; records every callback.</summary>
[ClientEndpoint]
public sealed class WholeMessageClient
{
    public ClientEvents Events { get; } = new();

    [OnOpen]
    public void Open(WebSocketSession session) => Events.Add($"open:{session.NegotiatedSubprotocol}");

    [OnMessage(MaxMessageSize = 4 * 1024 * 1024)]
    public void Text(string text) => Events.Add($"text:{text}");

    [OnMessage(MaxMessageSize = 4 * 1024 * 1024)]
    public void Binary(byte[] data) => Events.Add($"binary:{Convert.ToHexString(data)}");

    [OnMessage]
    public void Pong(PongMessage pong) => Events.Add($"pong:{Encoding.UTF8.GetString(pong.ApplicationData.Span)}");

    [OnClose]
    public void Close(CloseReason reason) => Events.Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}");

    [OnError]
    public void Error(Exception error) => Events.Add($"error:{error.GetType().Name}:{error.Message}");
}
