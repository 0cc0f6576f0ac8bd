namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// Counts every change a quiescence check looks at (bytes written, a reader that starts waiting, a side that ends)
/// and wakes whoever waits for the next one: a check is consistent when the count did not move while it ran.
/// </summary>
internal sealed class ActivitySignal
{
    private long _version;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Grows on every change.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>A task that completes at the next change.</summary>
    public Task NextChange => Volatile.Read(ref _next).Task;

    public void Changed()
    {
        Interlocked.Increment(ref _version);
        var next = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        next.TrySetResult();
    }
}
