namespace Annotated.WebSockets.Sessions;

/// <summary>
/// Notices a peer that stopped reading: while a session has sends queued (or waiting for room), the transport must take
/// some of their bytes at least once per timeout. Progress is the engine's count of completed flushes, so a large
/// message that a slow but live peer reads piece by piece is not mistaken for a stall, while a peer that takes nothing
/// is caught after the timeout. It has no timer: the session's heartbeat calls <see cref="Check"/>, at least four times
/// per timeout (the session asks the heartbeat for that resolution), so a stall is caught within 1¼ timeouts. It runs
/// only on the slow path: a send that completes synchronously never arms it, and it disarms itself once the queue is empty.
/// </summary>
internal sealed class SendWatchdog
{
    private readonly object _lock = new();
    private readonly ISendProgressSource _source;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;
    private volatile bool _armed;
    private bool _stopped;
    private long _seenProgress;
    private long _progressAt;   // the clock's timestamp when _seenProgress was observed

    public SendWatchdog(ISendProgressSource source, TimeSpan timeout, TimeProvider clock)
    {
        _source = source;
        _timeout = timeout;
        _clock = clock;
    }

    /// <summary>Starts watching (a send did not complete at once); does nothing when already watching.</summary>
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

            _seenProgress = _source.SendProgress;
            _progressAt = _clock.GetTimestamp();
            _armed = true;
        }
    }

    /// <summary>Stops for good (the session is closing).</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stopped = true;
            _armed = false;
        }
    }

    /// <summary>The heartbeat's tick: notes progress, disarms when nothing is queued, reports a stall once.</summary>
    /// <param name="now">The clock's timestamp at this tick.</param>
    public void Check(long now)
    {
        if (!_armed)
        {
            return;
        }

        lock (_lock)
        {
            if (!_armed || _stopped)
            {
                return;
            }

            if (!_source.HasQueuedSends)
            {
                _armed = false;
                return;
            }

            var progress = _source.SendProgress;
            if (progress != _seenProgress)
            {
                _seenProgress = progress;
                _progressAt = now;
                return;
            }

            if (_clock.GetElapsedTime(_progressAt, now) < _timeout)
            {
                return;
            }

            _stopped = true;
            _armed = false;
        }

        _source.OnSendStalled();
    }
}

/// <summary>What <see cref="SendWatchdog"/> watches: the session.</summary>
internal interface ISendProgressSource
{
    /// <summary>Grows whenever the transport takes bytes.</summary>
    long SendProgress { get; }

    /// <summary>Whether any send holds or waits for a place in the queue.</summary>
    bool HasQueuedSends { get; }

    /// <summary>The transport took nothing for the whole timeout while sends were queued.</summary>
    void OnSendStalled();
}
