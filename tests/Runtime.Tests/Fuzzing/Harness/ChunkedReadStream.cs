namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// The fuzzing transport: reads hand out the input in random-sized chunks (1 byte up to a few KiB, seeded) and
/// then end of stream; writes (pongs, close frames the engine sends back) are counted and dropped. Everything
/// completes synchronously, so a receive that does not complete at once means the engine waits on nothing: a hang.
internal sealed class ChunkedReadStream(byte[] input, int chunkSeed) : Stream
{
    private readonly Random _random = new(chunkSeed);
    private int _position;

    public long BytesWritten { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || _position >= input.Length)
        {
            return 0;
        }

        int max = _random.Next(4) switch
        {
            0 => 1,
            1 => 7,
            2 => 300,
            _ => 8192,
        };
        int n = Math.Min(Math.Min(buffer.Length, input.Length - _position), _random.Next(1, max + 1));
        input.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<int>(cancellationToken)
            : new ValueTask<int>(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => BytesWritten += count;

    public override void Write(ReadOnlySpan<byte> buffer) => BytesWritten += buffer.Length;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BytesWritten += buffer.Length;
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        BytesWritten += count;
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
