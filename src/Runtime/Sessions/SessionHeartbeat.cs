using System.Buffers;
using Annotated.WebSockets.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// One timer per container that ticks every open session (Kestrel's heartbeat shape): each session keeps its
/// deadlines as <see cref="TimeProvider"/> timestamps (last activity, next keep-alive ping, send progress) and checks
/// them on each tick, so no session arms a timer of its own and tests drive every timeout with a fake clock.
/// </summary>
/// <remarks>
/// The tick's period is a quarter of the shortest timeout any registered session asked for, between
/// <see cref="MinPeriod"/> and <see cref="MaxPeriod"/>, so a timeout fires within 1¼ of its length. The period only
/// shrinks: a session that lowers its idle timeout asks again (<see cref="RequestResolution"/>). The timer runs only
/// while sessions are registered. Registration is on open and close, never on the per-message path.
/// </remarks>
internal sealed partial class SessionHeartbeat : IDisposable
{
    /// <summary>The longest period between ticks (the one for default timeouts of seconds and minutes).</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromSeconds(1);

    /// <summary>The shortest period between ticks, whatever timeout a session asks for.</summary>
    public static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(10);

    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private IHeartbeatHandler[] _handlers = new IHeartbeatHandler[16];
    private int _count;
    private ITimer? _timer;
    private TimeSpan _period = MaxPeriod;
    private bool _running;
    private bool _disposed;
    private int _ticking;

    public SessionHeartbeat(TimeProvider clock, ILogger logger)
    {
        _clock = clock;
        _logger = logger;
    }

    /// <summary>The clock the heartbeat ticks on.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>The current period between ticks.</summary>
    public TimeSpan Period
    {
        get
        {
            lock (_lock)
            {
                return _period;
            }
        }
    }

    /// <summary>How many handlers are registered.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Starts ticking <paramref name="handler"/> until <see cref="Unregister"/>; the timer starts with the first.</summary>
    /// <param name="handler">The session.</param>
    /// <param name="shortestTimeout">Its shortest positive timeout, for the tick's resolution; zero when it has none.</param>
    public void Register(IHeartbeatHandler handler, TimeSpan shortestTimeout)
    {
        lock (_lock)
        {
            if (_count == _handlers.Length)
            {
                Array.Resize(ref _handlers, _count * 2);
            }

            handler.HeartbeatSlot = _count;
            _handlers[_count] = handler;
            _count++;
            if (LowerPeriodLocked(shortestTimeout) && _running) _timer?.Change(_period, _period);
            if (!_running && !_disposed)
            {
                _running = true;
                _timer ??= _clock.CreateTimer(static state => ((SessionHeartbeat)state!).Tick(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(_period, _period);
            }
        }
    }

    /// <summary>Stops ticking <paramref name="handler"/>; does nothing when it is not registered.</summary>
    public void Unregister(IHeartbeatHandler handler)
    {
        lock (_lock)
        {
            var slot = handler.HeartbeatSlot;
            if (slot < 0 || slot >= _count || !ReferenceEquals(_handlers[slot], handler))
            {
                return;
            }

            // Swap with the last: removal is O(1) and the array stays dense for the tick's copy.
            _count--;
            var last = _handlers[_count];
            _handlers[slot] = last;
            last.HeartbeatSlot = slot;
            _handlers[_count] = null!;
            handler.HeartbeatSlot = -1;
            if (_count == 0 && _running)
            {
                _running = false;
                _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Makes ticks frequent enough for <paramref name="timeout"/> (a quarter of it, within the bounds).</summary>
    public void RequestResolution(TimeSpan timeout)
    {
        lock (_lock)
        {
            if (LowerPeriodLocked(timeout) && _running)
            {
                _timer?.Change(_period, _period);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _running = false;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private bool LowerPeriodLocked(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        var wanted = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, MinPeriod.Ticks, MaxPeriod.Ticks));
        if (wanted >= _period)
        {
            return false;
        }

        _period = wanted;
        return true;
    }

    private void Tick()
    {
        // A tick that outlasts the period is not overlapped by the next one.
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return;
        }

        IHeartbeatHandler[] handlers;
        int count;
        try
        {
            lock (_lock)
            {
                count = _count;
                handlers = ArrayPool<IHeartbeatHandler>.Shared.Rent(Math.Max(count, 1));
                Array.Copy(_handlers, handlers, count);
            }

            var now = _clock.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                try
                {
                    handlers[i].OnHeartbeat(now);
                }
                catch (Exception ex)
                {
                    // A handler's defect must not stop the other sessions' timeouts.
                    Log.HeartbeatHandlerFailed(_logger, ex);
                }
            }

            Array.Clear(handlers, 0, count);
            ArrayPool<IHeartbeatHandler>.Shared.Return(handlers);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.HeartbeatHandlerFailed, Level = LogLevel.Error, Message = "A WebSocket session failed while checking its timeouts on the heartbeat.")]
        public static partial void HeartbeatHandlerFailed(ILogger logger, Exception exception);
    }
}

/// <summary>What <see cref="SessionHeartbeat"/> ticks: a session.</summary>
internal interface IHeartbeatHandler
{
    /// <summary>Where the heartbeat keeps it (-1 when not registered); only the heartbeat writes it, under its lock.</summary>
    int HeartbeatSlot { get; set; }

    /// <summary>Checks the handler's deadlines against <paramref name="now"/>; quick, never blocks, never throws.</summary>
    /// <param name="now">The heartbeat clock's <see cref="TimeProvider.GetTimestamp"/> at this tick.</param>
    void OnHeartbeat(long now);
}
