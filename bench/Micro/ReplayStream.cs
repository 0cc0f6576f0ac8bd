namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// A read-only stream that serves one fixed byte array (a run of pre-built frames), copying into the reader's buffer
/// as a socket or Kestrel's upgraded stream does, and can be rewound. Lets the frame-parse benchmark run the engine
/// the way the server runs it: over a Stream, through the engine's own StreamPipeReader, where a masked payload lying
/// in one buffer segment is unmasked in place and delivered without a further copy.
/// </summary>
internal sealed class ReplayStream(byte[] data) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public void Rewind() => _position = 0;

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
