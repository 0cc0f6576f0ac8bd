namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// A basic remote that sends nowhere: it counts what it was given and completes at once, so the dispatch benchmark
/// measures the container's work around the call (argument building, result inspection, the send call) and not a
/// transport. Every operation the dispatch benchmark does not use throws.
/// </summary>
public sealed class CountingRemote : IBasicRemoteEndpoint
{
    /// <summary>Characters and bytes "sent".</summary>
    public long Sent { get; private set; }

    /// <inheritdoc/>
    public bool BatchingAllowed { get; set; }

    /// <inheritdoc/>
    public Task SendTextAsync(string text, CancellationToken cancellationToken = default)
    {
        Sent += text.Length;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SendTextAsync(Utf8Text text, CancellationToken cancellationToken = default)
    {
        Sent += text.Length;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        Sent += data.Length;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SendAsync(PreparedMessage message, CancellationToken cancellationToken = default)
    {
        Sent += message.Length;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task SendObjectAsync(object value, CancellationToken cancellationToken = default) =>
        value is string text ? SendTextAsync(text, cancellationToken) : throw new NotSupportedException("The benchmark sends only text.");

    /// <inheritdoc/>
    public Task SendTextAsync(string fragment, bool isLast, CancellationToken cancellationToken = default) => SendTextAsync(fragment, cancellationToken);

    /// <inheritdoc/>
    public Task SendTextAsync(Utf8Text fragment, bool isLast, CancellationToken cancellationToken = default) => SendTextAsync(fragment, cancellationToken);

    /// <inheritdoc/>
    public Task SendBinaryAsync(ReadOnlyMemory<byte> fragment, bool isLast, CancellationToken cancellationToken = default) =>
        SendBinaryAsync(fragment, cancellationToken);

    /// <inheritdoc/>
    public Stream GetSendStream() => throw new NotSupportedException("The benchmark does not stream.");

    /// <inheritdoc/>
    public TextWriter GetSendWriter() => throw new NotSupportedException("The benchmark does not stream.");

    /// <inheritdoc/>
    public Task FlushBatchAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
