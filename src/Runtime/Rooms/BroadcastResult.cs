namespace Annotated.WebSockets;

/// <summary>What one broadcast did on this node: how many members it reached and how.</summary>
/// <param name="Queued">Members that have the message in their send queue (written in queue order, never awaited).</param>
/// <param name="Dropped">Members whose queue was full under <see cref="GroupOverflowPolicy.Drop"/>: they do not get it.</param>
/// <param name="Closed">Members that were closing: they do not get it.</param>
public readonly record struct BroadcastResult(int Queued, int Dropped, int Closed)
{
    /// <summary>Every member the broadcast addressed on this node; zero for an unknown or empty group.</summary>
    public int Recipients => Queued + Dropped + Closed;

    internal BroadcastResult Add(BroadcastResult other) =>
        new(Queued + other.Queued, Dropped + other.Dropped, Closed + other.Closed);
}
