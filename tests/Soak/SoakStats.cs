using System.Collections.Concurrent;

namespace Annotated.WebSockets.Soak;

/// <summary>The driver's counters, shared by every client worker.</summary>
internal sealed class SoakStats
{
    private const int KeptFailures = 20;

    private readonly ConcurrentQueue<string> _failures = new();
    private long _connects;
    private long _normalCloses;
    private long _vanished;
    private long _vanishedMidMessage;
    private long _messages;
    private long _bytes;
    private long _broadcasts;
    private long _failureCount;
    private long _openClients;

    public long Connects => Interlocked.Read(ref _connects);

    public long NormalCloses => Interlocked.Read(ref _normalCloses);

    public long Vanished => Interlocked.Read(ref _vanished);

    public long VanishedMidMessage => Interlocked.Read(ref _vanishedMidMessage);

    /// <summary>Echoes received and verified.</summary>
    public long Messages => Interlocked.Read(ref _messages);

    public long Bytes => Interlocked.Read(ref _bytes);

    public long Broadcasts => Interlocked.Read(ref _broadcasts);

    public long FailureCount => Interlocked.Read(ref _failureCount);

    public long OpenClients => Interlocked.Read(ref _openClients);

    public IReadOnlyCollection<string> Failures => _failures.ToArray();

    public void Connected()
    {
        Interlocked.Increment(ref _connects);
        Interlocked.Increment(ref _openClients);
    }

    public void Ended() => Interlocked.Decrement(ref _openClients);

    public void ClosedNormally() => Interlocked.Increment(ref _normalCloses);

    public void VanishedBetweenMessages() => Interlocked.Increment(ref _vanished);

    public void VanishedInMessage() => Interlocked.Increment(ref _vanishedMidMessage);

    public void Verified(int bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    public void BroadcastReceived() => Interlocked.Increment(ref _broadcasts);

    public void Fail(string failure)
    {
        if (Interlocked.Increment(ref _failureCount) <= KeptFailures)
        {
            _failures.Enqueue(failure);
        }
    }
}
