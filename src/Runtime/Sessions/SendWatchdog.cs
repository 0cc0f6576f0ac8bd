namespace Annotated.WebSockets.Sessions;

/// Notices a peer that stopped reading: while a session has sends queued (or waiting for room), the transport must take
/// some of their bytes at least once per timeout. Progress is the engine's count of completed flushes, so a large
/// message that a slow but live peer reads piece by piece is not mistaken for a stall, while a peer that takes nothing
/// is caught after the timeout (checked four times per timeout, so within 1¼ timeouts). It runs only on the slow path:
/// a send that completes synchronously never arms it, and it disarms itself once the queue is empty.
internal sealed class SendWatchdog
{
    private readonly object _lock = new();
    private readonly ISendProgressSource _source;
    private readonly long _timeoutMilliseconds;
    private readonly TimeSpan _period;
    private Timer? _timer;
    private volatile bool _armed;
    private bool _stopped;
    private long _seenProgress;
    private long _progressAt;   // Environment.TickCount64 when _seenProgress was observed

    public SendWatchdog(ISendProgressSource source, TimeSpan timeout)
    {
        _source = source;
        _timeoutMilliseconds = Math.Max(1, (long)timeout.TotalMilliseconds);
        _period = TimeSpan.FromMilliseconds(Math.Max(1, _timeoutMilliseconds / 4));
    }

    /// Starts watching (a send did not complete at once); does nothing when already watching.
    public void Arm()
    {
        if (_armed)
        {
            return;
        }

        lock (_lock)
        {
            if (_armed || _stopped)
            {
                return;
            }

            _armed = true;
            _seenProgress = _source.SendProgress;
            _progressAt = Environment.TickCount64;
            _timer ??= new Timer(static state => ((SendWatchdog)state!).Tick(), this, Timeout.Infinite, Timeout.Infinite);
            _timer.Change(_period, _period);
        }
    }

    /// Stops for good (the session is closing).
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _armed = false;
            _timer?.Dispose();
        }
    }

    private void Tick()
    {
        lock (_lock)
        {
            if (!_armed || _stopped)
            {
                return;
            }

            if (!_source.HasQueuedSends)
            {
                _armed = false;
                _timer!.Change(Timeout.Infinite, Timeout.Infinite);
                return;
            }

            var progress = _source.SendProgress;
            var now = Environment.TickCount64;
            if (progress != _seenProgress)
            {
                _seenProgress = progress;
                _progressAt = now;
                return;
            }

            if (now - _progressAt < _timeoutMilliseconds)
            {
                return;
            }

            _stopped = true;
            _armed = false;
            _timer!.Dispose();
        }

        _source.OnSendStalled();
    }
}

/// What <see cref="SendWatchdog"/> watches: the session.
internal interface ISendProgressSource
{
    /// Grows whenever the transport takes bytes.
    long SendProgress { get; }

    /// Whether any send holds or waits for a place in the queue.
    bool HasQueuedSends { get; }

    /// The transport took nothing for the whole timeout while sends were queued.
    void OnSendStalled();
}
