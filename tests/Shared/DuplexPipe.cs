using System.IO.Pipelines;

namespace Annotated.WebSockets.Tests.Shared;

/// An in-memory connection: two pipes crossed, so what one end writes the other reads.
internal sealed class DuplexPipe : IDuplexPipe
{
    public DuplexPipe(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static (DuplexPipe A, DuplexPipe B) CreatePair(long pauseThreshold = 0)
    {
        var options = pauseThreshold > 0
            ? new PipeOptions(pauseWriterThreshold: pauseThreshold, resumeWriterThreshold: pauseThreshold / 2, useSynchronizationContext: false)
            : new PipeOptions(useSynchronizationContext: false);
        var aToB = new Pipe(options);
        var bToA = new Pipe(options);
        return (new DuplexPipe(bToA.Reader, aToB.Writer), new DuplexPipe(aToB.Reader, bToA.Writer));
    }
}
