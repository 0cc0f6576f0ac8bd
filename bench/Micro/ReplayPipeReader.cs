using System.Buffers;
using System.IO.Pipelines;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// A pipe reader that serves one fixed byte array (a run of pre-built frames) without copying it, and can be rewound,
/// so the frame-parse benchmark measures the engine and not a transport. The engine copies payloads out before
/// unmasking them, so the array is never modified.
/// </summary>
internal sealed class ReplayPipeReader : PipeReader
{
    private readonly byte[] _data;
    private int _position;

    public ReplayPipeReader(byte[] data) => _data = data;

    public void Rewind() => _position = 0;

    public override void AdvanceTo(SequencePosition consumed) => _position = consumed.GetInteger();

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => _position = consumed.GetInteger();

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
        var buffer = new ReadOnlySequence<byte>(_data, _position, _data.Length - _position);
        result = new ReadResult(buffer, isCanceled: false, isCompleted: buffer.IsEmpty);
        return true;
    }
}
