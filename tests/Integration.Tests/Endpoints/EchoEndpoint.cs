using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Echoes text and binary and records its lifecycle.</summary>
[ServerEndpoint("/it/echo/{test}")]
public sealed class EchoEndpoint
{
    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("test")] string test) => Recorder.For(test).Add("open", session);

    [OnMessage]
    public string Text(string text, [PathParam("test")] string test)
    {
        Recorder.For(test).Add($"text:{text}");
        return text;
    }

    [OnMessage]
    public byte[] Binary(byte[] data) => data;

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}", reason);
}
