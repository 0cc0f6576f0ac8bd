using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Throws from its handlers on request; OnError reports each exception back to the client.</summary>
[ServerEndpoint("/it/throws/{test}")]
public sealed class ThrowingEndpoint
{
    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("test")] string test)
    {
        if (session.QueryString == "fail-open")
        {
            throw new InvalidOperationException("open failed");
        }
    }

    [OnMessage]
    public async Task<string> Text(string text)
    {
        if (text == "sync")
        {
            throw new ArgumentException("sync failure");
        }

        await Task.Yield();
        if (text == "async")
        {
            throw new FormatException("async failure");
        }

        return "ok:" + text;
    }

    [OnError]
    public Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        Recorder.For(test).Add($"error:{error.GetType().Name}:{error.Message}", error);
        return session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}:{error.Message}");
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}");
}
