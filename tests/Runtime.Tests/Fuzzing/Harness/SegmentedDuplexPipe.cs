using System.Buffers;
using System.IO.Pipelines;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// The second fuzzing transport: the input as a ReadOnlySequence cut into random-sized segments (so frame headers
/// and UTF-8 sequences straddle segment boundaries, exercising the multi-segment parse paths), read through a
/// PipeReader; what the engine writes goes to a discarding stream.
internal sealed class SegmentedDuplexPipe : IDuplexPipe
{
    public SegmentedDuplexPipe(byte[] input, int chunkSeed)
    {
        var random = new Random(chunkSeed);
        Segment? first = null;
        Segment? last = null;
        int offset = 0;
        do
        {
            int n = Math.Min(input.Length - offset, random.Next(2) == 0 ? random.Next(1, 4) : random.Next(1, 2048));
            var segment = new Segment(input.AsMemory(offset, n), last);
            first ??= segment;
            last = segment;
            offset += n;
        }
        while (offset < input.Length);

        Input = PipeReader.Create(new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length));
        Output = PipeWriter.Create(Stream.Null, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
    }
}
