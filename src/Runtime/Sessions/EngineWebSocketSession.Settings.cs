namespace Annotated.WebSockets.Sessions;

// The per-session limits (idle timeout, buffer sizes), which start at the container's values and may be
// changed by the application at any time; a change applies from the next message (buffer sizes) or at once
// (idle timeout, measured from the last activity).
internal sealed partial class EngineWebSocketSession
{
    private AsyncRemoteEndpoint? _asyncRemote;   // made on first use of AsyncRemote
    private bool _timersStopped;
    private bool _timersStarted;

    /// <inheritdoc />
    public override TimeSpan MaxIdleTimeout
    {
        get => _idleTimeout;
        set
        {
            _idleTimeout = value;
            lock (_lock)
            {
                if (_timersStarted && !_timersStopped)
                {
                    RestartIdleTimerLocked();
                }
            }
        }
    }

    /// <inheritdoc />
    public override int MaxTextMessageBufferSize
    {
        get => _maxTextMessageBufferSize;
        set => _maxTextMessageBufferSize = Positive(value);
    }

    /// <inheritdoc />
    public override int MaxBinaryMessageBufferSize
    {
        get => _maxBinaryMessageBufferSize;
        set => _maxBinaryMessageBufferSize = Positive(value);
    }

    private void RestartIdleTimer()
    {
        lock (_lock)
        {
            _timersStarted = true;
            if (!_timersStopped)
            {
                RestartIdleTimerLocked();
            }
        }
    }

    private void RestartIdleTimerLocked()
    {
        var timeout = _idleTimeout;
        if (timeout <= TimeSpan.Zero)
        {
            _idleTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // The timer callback measures idleness from the last activity, so firing early only re-arms it.
        if (_idleTimer is null)
        {
            _idleTimer = new Timer(static state => ((EngineWebSocketSession)state!).OnIdleTimer(), this, timeout, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _idleTimer.Change(timeout, Timeout.InfiniteTimeSpan);
        }
    }

    private static int ClampToInt(long value) => value is > 0 and <= int.MaxValue ? (int)value : int.MaxValue;

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A message buffer size must be positive.");
}
