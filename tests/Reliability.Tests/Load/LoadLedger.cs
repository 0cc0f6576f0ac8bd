using System.Collections.Concurrent;
using System.Globalization;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// What the server saw of a load run, shared by every <see cref="LoadEchoEndpoint"/> instance of one host (a DI
/// singleton): opens, closes and their codes, messages, and every loss, duplicate or reordering the per-session
/// sequence check found.
/// </summary>
public sealed class LoadLedger
{
    private const int KeptProblems = 20;

    private readonly ConcurrentQueue<string> _problems = new();
    private readonly ConcurrentDictionary<CloseCode, int> _closeCodes = new();
    private long _opened;
    private long _closed;
    private long _messages;
    private long _problemCount;

    /// <summary>Sessions opened.</summary>
    public long Opened => Interlocked.Read(ref _opened);

    /// <summary>Sessions closed (the endpoint's close handler ran).</summary>
    public long Closed => Interlocked.Read(ref _closed);

    /// <summary>Messages received in sequence.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages out of sequence, malformed, or errors reported to the endpoint.</summary>
    public long ProblemCount => Interlocked.Read(ref _problemCount);

    /// <summary>The first problems, described.</summary>
    public IReadOnlyCollection<string> Problems => _problems.ToArray();

    /// <summary>How many sessions closed with each code.</summary>
    public IReadOnlyDictionary<CloseCode, int> CloseCodes => new Dictionary<CloseCode, int>(_closeCodes);

    internal void RecordOpen() => Interlocked.Increment(ref _opened);

    internal void RecordClose(CloseCode code)
    {
        _closeCodes.AddOrUpdate(code, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref _closed);
    }

    internal void RecordMessage() => Interlocked.Increment(ref _messages);

    internal void RecordProblem(string problem)
    {
        if (Interlocked.Increment(ref _problemCount) <= KeptProblems)
        {
            _problems.Enqueue(problem);
        }
    }

    /// <summary>One line for the test output.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"opened {Opened}, closed {Closed} ({string.Join(", ", CloseCodes.Select(pair => $"{(int)pair.Key}: {pair.Value}"))}), messages {Messages}, problems {ProblemCount}");
}
