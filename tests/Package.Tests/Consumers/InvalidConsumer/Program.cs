using Annotated.WebSockets;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAnnotatedWebSockets();
var app = builder.Build();
app.MapAnnotatedWebSockets();
app.Run();

[ServerEndpoint("chat")]                              // AWE0201: a path starts with '/'
public sealed class BrokenEndpoint
{
    [OnMessage(MaxMessageSize = 3_000_000_000)]       // AWE0100: above int.MaxValue (Jakarta WebSocket 2.2)
    public void Text(string text)
    {
    }

    [OnError]                                         // AWE0110: the Exception parameter is missing
    public void Error(WebSocketSession session)
    {
    }
}
