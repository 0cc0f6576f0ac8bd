using System.Buffers;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// The sessions whose broadcast frames a receive loop's handlers wrote without a flush, while that loop works through
/// input that has already arrived: flushed together when the loop's input runs dry, its handler starts to wait, or
/// <see cref="MaxDeferral"/> has passed. A sender's burst of messages then reaches each member in one transport write
/// instead of one per scheduled flush (docs/DECISIONS.md 62; docs/PERFORMANCE.md, Rooms, "Verdicts now").
/// </summary>
/// <remarks>Used by one receive loop at a time (the loop's own thread while it dispatches); never shared.</remarks>
internal sealed class DeferredFlushes
{
    /// <summary>How long the first deferred frame may wait for the loop's input to run dry.</summary>
    public static readonly TimeSpan MaxDeferral = TimeSpan.FromMilliseconds(1);

    // Sessions per work item: many members' flushes share one work item, and a big room still spreads over the pool.
    private const int ChunkSize = 64;

    [ThreadStatic]
    private static DeferredFlushes? t_current;

    private readonly TimeProvider _clock;
    private readonly List<EngineWebSocketSession> _sessions = [];
    private long _firstDeferred;

    public DeferredFlushes(TimeProvider clock) => _clock = clock;

    /// <summary>The list of the loop dispatching on this thread now, if any.</summary>
    public static DeferredFlushes? Current => t_current;

    /// <summary>Whether something waits and has waited <see cref="MaxDeferral"/> or longer.</summary>
    public bool IsDue => _sessions.Count > 0 && _clock.GetElapsedTime(_firstDeferred) >= MaxDeferral;

    /// <summary>Makes this the thread's current list until the returned scope ends (scopes nest).</summary>
    public Scope Enter()
    {
        var previous = t_current;
        t_current = this;
        return new Scope(previous);
    }

    /// <summary>Takes a session whose flush is owed; it is flushed by the next <see cref="Flush"/>.</summary>
    public void Add(EngineWebSocketSession session)
    {
        if (_sessions.Count == 0)
        {
            _firstDeferred = _clock.GetTimestamp();
        }

        _sessions.Add(session);
    }

    /// <summary>Hands every waiting session's flush to the thread pool, <see cref="ChunkSize"/> sessions per work item.</summary>
    public void Flush()
    {
        for (var start = 0; start < _sessions.Count; start += ChunkSize)
        {
            var count = Math.Min(ChunkSize, _sessions.Count - start);
            var chunk = ArrayPool<EngineWebSocketSession>.Shared.Rent(count);
            _sessions.CopyTo(start, chunk, 0, count);
            ThreadPool.UnsafeQueueUserWorkItem(new Chunk(chunk, count), preferLocal: false);
        }

        _sessions.Clear();
    }

    /// <summary>Restores the thread's previous list.</summary>
    public readonly struct Scope(DeferredFlushes? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => t_current = previous;
    }

    private sealed class Chunk(EngineWebSocketSession[] sessions, int count) : IThreadPoolWorkItem
    {
        public void Execute()
        {
            for (var i = 0; i < count; i++)
            {
                sessions[i].RunScheduledFlush();
            }

            ArrayPool<EngineWebSocketSession>.Shared.Return(sessions, clearArray: true);
        }
    }
}
