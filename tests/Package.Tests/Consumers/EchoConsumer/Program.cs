using Annotated.WebSockets;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAnnotatedWebSockets();
var app = builder.Build();
app.MapAnnotatedWebSockets();
app.Run();

[ServerEndpoint("/echo/{name}")]
public sealed class EchoEndpoint
{
    [OnMessage]
    public string Text(string text, [PathParam("name")] string name) => $"{name}: {text}";

    [OnMessage]
    public byte[] Binary(byte[] data) => data;
}
