namespace Annotated.WebSockets.Testing;

/// <summary>
/// The virtual clock of a <see cref="WebSocketTestHost"/>: a <see cref="TimeProvider"/> whose time moves only when
/// the host advances it (<see cref="WebSocketTestHost.AdvanceAsync"/>). Every timeout of the runtime (idle, keep-alive,
/// send queue, close, message receive, shutdown drain) reads it, on the server and on the test clients.
/// </summary>
/// <remarks>
/// Unlike a clock that jumps to the end of an advance, this one moves from one due timer to the next: each timer
/// callback runs with the clock set to its own due time, and the host waits until the server is quiescent before the
/// next one, so a chain of timeouts (an idle close, then the close timeout it arms) happens in the order and at the
/// times it would in real time. The timers run on the thread that advances the clock.
/// </remarks>
public sealed class TestClock : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<VirtualTimer> _timers = [];
    private readonly DateTimeOffset _start;
    private long _elapsedTicks;
    private long _sequence;

    /// <summary>Creates a clock at <paramref name="start"/> (by default 2025-01-01T00:00Z, a sane "now" for certificates and tokens).</summary>
    /// <param name="start">The time the clock starts at.</param>
    public TestClock(DateTimeOffset? start = null)
    {
        _start = start ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>How much virtual time has passed since the clock was made.</summary>
    public TimeSpan Elapsed
    {
        get
        {
            lock (_lock)
            {
                return TimeSpan.FromTicks(_elapsedTicks);
            }
        }
    }

    /// <summary>How many timers are armed (due at some time, not disposed).</summary>
    public int ArmedTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(static timer => timer.DueTicks >= 0);
            }
        }
    }

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _start.AddTicks(_elapsedTicks);
        }
    }

    /// <inheritdoc />
    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _elapsedTicks;
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Runs the earliest timer due at or before <paramref name="untilTicks"/> (elapsed ticks): sets the clock to its
    /// due time, re-arms it when periodic, then calls it on this thread. False when none is due.
    /// </summary>
    internal bool TryFireNext(long untilTicks)
    {
        VirtualTimer? next = null;
        lock (_lock)
        {
            foreach (var timer in _timers)
            {
                if (timer.DueTicks >= 0 && timer.DueTicks <= untilTicks
                    && (next is null || timer.DueTicks < next.DueTicks || (timer.DueTicks == next.DueTicks && timer.Order < next.Order)))
                {
                    next = timer;
                }
            }

            if (next is null)
            {
                return false;
            }

            _elapsedTicks = Math.Max(_elapsedTicks, next.DueTicks);
            next.DueTicks = next.PeriodTicks > 0 ? _elapsedTicks + next.PeriodTicks : -1;
            next.Order = ++_sequence;
        }

        next.Fire();
        return true;
    }

    /// <summary>Moves the clock to <paramref name="ticks"/> (elapsed) when it is not past it already.</summary>
    internal void MoveTo(long ticks)
    {
        lock (_lock)
        {
            _elapsedTicks = Math.Max(_elapsedTicks, ticks);
        }
    }

    private void Change(VirtualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            if (timer.Disposed)
            {
                return;
            }

            timer.DueTicks = dueTime == Timeout.InfiniteTimeSpan ? -1 : _elapsedTicks + Math.Max(0, dueTime.Ticks);
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            timer.Order = ++_sequence;
        }
    }

    private void Remove(VirtualTimer timer)
    {
        lock (_lock)
        {
            timer.Disposed = true;
            timer.DueTicks = -1;
            _timers.Remove(timer);
        }
    }

    private sealed class VirtualTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        // Guarded by the clock's lock.
        public long DueTicks { get; set; } = -1;

        public long PeriodTicks { get; set; }

        public long Order { get; set; }

        public bool Disposed { get; set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Change(this, dueTime, period);
            return !Disposed;
        }

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
