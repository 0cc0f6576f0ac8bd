using System.Buffers;
using System.IO.Pipelines;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// A pipe reader that serves one fixed byte array (a run of pre-built frames) without copying it, and can be rewound,
/// so the frame-parse benchmark measures the engine and not a transport. The engine never writes into the memory of a
/// reader it did not create (it unmasks in place only in its own StreamPipeReader's buffers), so the array is never
/// modified. The engine may keep the last payload it delivered unconsumed until its next receive (it is delivered in
/// place), so a rewind takes effect at the next read and the advance that precedes it is ignored.
/// </summary>
internal sealed class ReplayPipeReader : PipeReader
{
    private readonly byte[] _data;
    private int _position;
    private bool _rewind;

    public ReplayPipeReader(byte[] data) => _data = data;

    public void Rewind() => _rewind = true;

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (!_rewind)
        {
            _position = consumed.GetInteger();
        }
    }

    public override void CancelPendingRead()
    {
    }

    public override void Complete(Exception? exception = null)
    {
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        TryRead(out ReadResult result);
        return new ValueTask<ReadResult>(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_rewind)
        {
            _rewind = false;
            _position = 0;
        }

        var buffer = new ReadOnlySequence<byte>(_data, _position, _data.Length - _position);
        result = new ReadResult(buffer, isCanceled: false, isCompleted: buffer.IsEmpty);
        return true;
    }
}
