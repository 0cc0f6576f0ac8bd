using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// Throws from the callback the query names (<c>?fail=open</c>, <c>open-async</c>, <c>close</c>, <c>error</c>;
/// several separated by commas) and from OnMessage for the texts <c>throw</c> and <c>throw-async</c>; echoes other
/// text as <c>echo:…</c>. OnError records the exception and, while the session is open, tells the client
/// <c>error:{type}:{message}</c>.
/// </summary>
[ServerEndpoint("/handler/callbacks/{test}")]
public sealed class CallbackFaultEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add("open", session);
        if (Fails(session, "open"))
        {
            throw new InvalidOperationException("open failed");
        }

        return Fails(session, "open-async") ? FailLaterAsync() : Task.CompletedTask;

        static async Task FailLaterAsync()
        {
            await Task.Yield();
            throw new TimeoutException("open failed later");
        }
    }

    [OnMessage]
    public async Task<string> Text(string text, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"text:{text}");
        if (text == "throw")
        {
            throw new ArgumentException("message failed");
        }

        await Task.Yield();
        if (text == "throw-async")
        {
            throw new FormatException("message failed later");
        }

        return "echo:" + text;
    }

    [OnError]
    public async Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"error:{error.GetType().Name}:{error.Message}", error);
        if (Fails(session, "error"))
        {
            throw new NotSupportedException("error handler failed");
        }

        if (session.IsOpen)
        {
            await session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}:{error.Message}");
        }
    }

    [OnClose]
    public void Close(WebSocketSession session, CloseReason reason, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
        if (Fails(session, "close"))
        {
            throw new InvalidOperationException("close failed");
        }
    }

    private static bool Fails(WebSocketSession session, string callback) =>
        session.QueryString is { } query && query.StartsWith("fail=", StringComparison.Ordinal) &&
        query["fail=".Length..].Split(',').Contains(callback, StringComparer.Ordinal);
}
