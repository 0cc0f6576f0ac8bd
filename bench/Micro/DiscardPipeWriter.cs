using System.IO.Pipelines;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// A pipe writer whose flush throws the written bytes away, so the frame-write benchmark measures header building,
/// copying and masking into the transport's buffer, not a socket. The buffer is reused after every flush.
/// </summary>
internal sealed class DiscardPipeWriter : PipeWriter
{
    private readonly byte[] _buffer;
    private int _written;

    public DiscardPipeWriter(int capacity) => _buffer = new byte[capacity];

    /// <summary>Bytes written since the benchmark started (checked once so a broken writer is noticed).</summary>
    public long TotalWritten { get; private set; }

    public override void Advance(int bytes)
    {
        _written += bytes;
        TotalWritten += bytes;
    }

    public override void CancelPendingFlush()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        _written = 0;
        return new ValueTask<FlushResult>(new FlushResult(isCanceled: false, isCompleted: false));
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (_written + Math.Max(sizeHint, 1) > _buffer.Length)
        {
            _written = 0;   // the bytes are discarded anyway; start over rather than grow
        }

        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}
