namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// What the harness's connection streams share: a non-seekable stream whose every read goes through
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> and every write through <see cref="Write(ReadOnlySpan{byte})"/>
/// (synchronous: the harness's writes never wait for the peer), one write at a time so that a raw frame a test injects
/// never splits a frame the engine writes.
/// </summary>
internal abstract class DuplexStream : Stream
{
    private readonly object _writeLock = new();

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_writeLock)
        {
            WriteCore(buffer);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Writes <paramref name="buffer"/> to the peer; called under the write lock.</summary>
    protected abstract void WriteCore(ReadOnlySpan<byte> buffer);
}
