using System.IO.Pipelines;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// A duplex Stream over one end of a <see cref="DuplexPipe"/> whose reads return at most a few bytes each, chosen
/// by a function (1 for "one byte per read", random sizes for chunking tests). The engine's Stream constructor runs
/// over it, so the engine's own PipeReader sees data arrive in those pieces.
internal sealed class ChunkingStream : Stream
{
    private readonly Stream _read;
    private readonly Stream _write;
    private readonly Func<int> _nextReadSize;

    public ChunkingStream(IDuplexPipe end, Func<int> nextReadSize)
    {
        _read = end.Input.AsStream();
        _write = end.Output.AsStream();
        _nextReadSize = nextReadSize;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _read.Read(buffer, offset, Math.Min(count, Math.Max(1, _nextReadSize())));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _read.ReadAsync(buffer[..Math.Min(buffer.Length, Math.Max(1, _nextReadSize()))], cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => _write.Write(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _write.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _write.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Flush() => _write.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _write.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _read.Dispose();
            _write.Dispose();
        }

        base.Dispose(disposing);
    }
}
