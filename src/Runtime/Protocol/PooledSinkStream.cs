namespace Annotated.WebSockets.Protocol;

/// Where a deflater writes (DeflateStream in <see cref="PerMessageDeflateCompressor"/>, a WebSocket in
/// <see cref="ReducedWindowDeflater"/>): straight into a pooled buffer, every write and flush complete when it returns.
/// Readable only because WebSocket.CreateFromStream asks for it; nothing reads (a read returns 0).
internal sealed class PooledSinkStream : Stream
{
    public PooledByteBuffer Buffer { get; } = new();

    /// While true, writes are dropped (the final block DeflateStream writes when it is disposed).
    public bool Discarding { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Buffer.Length;

    public override long Position
    {
        get => Buffer.Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Discarding)
        {
            Buffer.Write(buffer);
        }
    }

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

    // Stream's own FlushAsync queues Flush to the thread pool, which would make every WebSocket send asynchronous.
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => 0;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
