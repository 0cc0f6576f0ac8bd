namespace Annotated.WebSockets.Reliability.Tests.Shutdown;

/// <summary>
/// A worker for the shutdown tests: <c>busy</c> keeps the handler running for a second, <c>stuck</c> never returns,
/// anything else is echoed. Every callback is logged in <see cref="ShutdownLog"/>.
/// </summary>
[ServerEndpoint("/shutdown/worker")]
public sealed class ShutdownWorkerEndpoint
{
    // Never completed: a handler awaiting it never returns.
    private static readonly TaskCompletionSource s_never = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [OnOpen]
    public void Open(WebSocketSession session) => ShutdownLog.Add(session, "open");

    [OnMessage]
    public async Task Message(string text, WebSocketSession session)
    {
        switch (text)
        {
            case "busy":
                ShutdownLog.Add(session, "busy-start");
                await Task.Delay(TimeSpan.FromSeconds(1));
                ShutdownLog.Add(session, "busy-done");
                break;
            case "stuck":
                ShutdownLog.Add(session, "stuck-start");
                await s_never.Task;
                ShutdownLog.Add(session, "stuck-done");
                break;
            default:
                await session.BasicRemote.SendTextAsync(text);
                break;
        }
    }

    [OnClose]
    public void Close(WebSocketSession session, CloseReason reason) => ShutdownLog.Add(session, $"close:{(int)reason.Code}");
}
