using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

/// <see cref="WebSocketSession.AsyncRemote"/>: the session's sends, returned before they finish, bounded by
/// <see cref="SendTimeout"/>. Batching is the session's, shared with the basic remote. The session's send methods are
/// async methods, so every failure (a closed session, an encoder, a full queue that timed out) arrives through the
/// returned task, never as a synchronous throw, and nothing is allocated per call to start a send.
internal sealed class AsyncRemoteEndpoint(EngineWebSocketSession session, TimeSpan sendTimeout, TimeProvider clock) : IAsyncRemoteEndpoint
{
    private long _sendTimeoutTicks = sendTimeout.Ticks;

    public TimeSpan SendTimeout
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _sendTimeoutTicks));
        set => Interlocked.Exchange(ref _sendTimeoutTicks, value.Ticks);
    }

    public bool BatchingAllowed
    {
        get => session.BatchingAllowed;
        set => session.BatchingAllowed = value;
    }

    public Task FlushBatchAsync(CancellationToken cancellationToken = default) => Bounded(session.FlushBatchAsync(cancellationToken));

    public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Bounded(session.SendTextCoreAsync(text, cancellationToken));
    }

    public Task SendTextAsync(Utf8Text text, CancellationToken cancellationToken = default) =>
        Bounded(session.SendWholeAsync(WebSocketMessageKind.Text, text.Memory, cancellationToken));

    public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Bounded(session.SendWholeAsync(WebSocketMessageKind.Binary, data, cancellationToken));

    public Task SendObjectAsync(object value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Bounded(session.SendObjectCoreAsync(value, cancellationToken));
    }

    public Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) =>
        Bounded(((IRemoteEndpoint)session).SendPingAsync(applicationData, cancellationToken));

    public Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) =>
        Bounded(((IRemoteEndpoint)session).SendPongAsync(applicationData, cancellationToken));

    public void SendText(string text, Action<SendResult> completed)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(completed);
        Report(SendTextAsync(text), completed);
    }

    public void SendText(Utf8Text text, Action<SendResult> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        Report(SendTextAsync(text), completed);
    }

    public void SendBinary(ReadOnlyMemory<byte> data, Action<SendResult> completed)
    {
        ArgumentNullException.ThrowIfNull(completed);
        Report(SendBinaryAsync(data), completed);
    }

    public void SendObject(object value, Action<SendResult> completed)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(completed);
        Report(SendObjectAsync(value), completed);
    }

    // The send itself goes on after a timeout (a frame cannot be cut in half); the caller's task fails.
    private Task Bounded(Task send)
    {
        var timeout = SendTimeout;
        return timeout <= TimeSpan.Zero || send.IsCompleted ? send : send.WaitAsync(timeout, clock);
    }

    private void Report(Task send, Action<SendResult> completed) =>
        send.ContinueWith(
            static (task, state) =>
            {
                var (owner, callback) = ((AsyncRemoteEndpoint, Action<SendResult>))state!;
                var error = task.Exception is { } aggregate
                    ? (aggregate.InnerExceptions.Count == 1 ? aggregate.InnerException : aggregate)
                    : task.IsCanceled ? new OperationCanceledException() : null;
                callback(new SendResult(owner.Session, error));
            },
            (this, completed),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private WebSocketSession Session => session;
}
