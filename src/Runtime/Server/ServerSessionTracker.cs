using System.Collections.Concurrent;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Every open server session, grouped by endpoint (for <see cref="WebSocketSession.OpenSessions"/>), and the
/// shutdown: when the application stops, every open session is closed with 1001 (going away), the sessions get
/// a drain time to finish, and those still running are then aborted and their close handler run.
/// </summary>
internal sealed partial class ServerSessionTracker : IDisposable
{
    /// <summary>How long aborted sessions get to end by themselves, and then how long their close handlers get.</summary>
    internal static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(1);

    // Keyed by what identifies a logical endpoint, not by config instance: a caller of
    // IServerContainer.UpgradeHttpToWebSocketAsync may build a new config per request.
    private readonly ConcurrentDictionary<(Type EndpointType, string Path), EndpointSessionGroup> _groups = new();
    // Each running session and its connection, whose task completes when the server is done with it (it ended or
    // was abandoned). One map for both the shutdown's closes and its wait: an entry per session, not one per purpose.
    private readonly ConcurrentDictionary<EngineWebSocketSession, ServerConnection> _running = new();
    private readonly CancellationTokenRegistration _stopping;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private volatile bool _stopped;

    public ServerSessionTracker(IHostApplicationLifetime? lifetime, ILogger? logger = null, TimeProvider? clock = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        if (lifetime is not null)
        {
            // When the stop comes from StopApplication (a signal, Ctrl+C) this fires first and the 1001 closes go out at
            // once; when it comes from IHost.StopAsync, ServerShutdownService.StoppingAsync sends them before this fires.
            _stopping = lifetime.ApplicationStopping.Register(static state => ((ServerSessionTracker)state!).CloseAll(), this);
        }
    }

    /// <summary>The open sessions of every endpoint.</summary>
    public int Count => _running.Count;

    /// <summary>Whether the application is stopping: new sessions are closed as soon as they open.</summary>
    public bool IsStopping => _stopped;

    public ISessionGroup GetGroup(ServerEndpointConfig config) =>
        _groups.GetOrAdd((config.EndpointType, config.Path), static _ => new EndpointSessionGroup());

    /// <summary>
    /// Registers a session about to run, until its connection is torn down (it ended, or a shutdown abandoned it
    /// because a handler holds it past the drain time; the connection's request then ends so that the server can
    /// stop). A session registered while the application stops is closed at once.
    /// </summary>
    public void Add(EngineWebSocketSession session, ServerConnection connection)
    {
        _running.TryAdd(session, connection);
        if (_stopped)
        {
            _ = session.CloseForShutdownAsync();
        }
    }

    /// <summary>The connection of a registered session; null once it was torn down.</summary>
    public ServerConnection? ConnectionOf(EngineWebSocketSession session) =>
        _running.TryGetValue(session, out var connection) ? connection : null;

    /// <summary>Whether a registered session has sends not yet written (<see cref="ISessionActivity.HasPendingSends"/>).</summary>
    public bool AnyPendingSends()
    {
        foreach (var (session, _) in _running)
        {
            if (((ISendProgressSource)session).HasQueuedSends)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>How many registered sessions wait for a rate-limit token (<see cref="ISessionActivity.RateLimitWaitingSessionCount"/>).</summary>
    public int CountWaitingForRateLimit()
    {
        var count = 0;
        foreach (var (session, _) in _running)
        {
            if (session.IsWaitingForRateLimit)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Forgets a session whose connection is being torn down.</summary>
    public void Remove(EngineWebSocketSession session) => _running.TryRemove(session, out _);

    /// <summary>
    /// Stops every session: 1001 closes, then up to <paramref name="drainTimeout"/> (or until
    /// <paramref name="cancellationToken"/>, the host's shutdown timeout) for handlers and closing handshakes to
    /// finish; the sessions left are aborted, and those whose handler still does not return are abandoned after
    /// their close handler ran. Returns after at most the drain time and twice <see cref="AbortGrace"/>.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        CloseAll();
        using (var drainTime = new CancellationTokenSource(drainTimeout, _clock))
        using (var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drainTime.Token))
        {
            if (await WaitForSessionsAsync(drain.Token).ConfigureAwait(false))
            {
                return;
            }
        }

        Log.DrainTimedOut(_logger, _running.Count, drainTimeout);
        foreach (var session in _running.Keys)
        {
            session.AbortForShutdown();
        }

        using (var grace = new CancellationTokenSource(AbortGrace, _clock))
        {
            if (await WaitForSessionsAsync(grace.Token).ConfigureAwait(false))
            {
                return;
            }
        }

        var abandoned = new List<Task>();
        foreach (var session in _running.Keys)
        {
            Log.SessionAbandoned(_logger, session.Id);
            abandoned.Add(session.AbandonAsync());
        }

        try
        {
            await Task.WhenAll(abandoned).WaitAsync(AbortGrace, _clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A close handler that does not return either: the host must still stop.
            Log.CloseHandlersTimedOut(_logger);
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Waits until no session runs; false when <paramref name="cancellationToken"/> fires first.</summary>
    private async Task<bool> WaitForSessionsAsync(CancellationToken cancellationToken)
    {
        // Sessions that open meanwhile are closed at once; the loop also waits for them.
        while (!_running.IsEmpty)
        {
            try
            {
                await Task.WhenAll(_running.Values.Select(static connection => connection.Task)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return _running.IsEmpty;
            }
        }

        return true;
    }

    private void CloseAll()
    {
        _stopped = true;
        foreach (var session in _running.Keys)
        {
            // Fire and forget: the callback must not block the host's shutdown; each close ends its own loop.
            _ = session.CloseForShutdownAsync();
        }
    }

    // The open sessions of one endpoint, for WebSocketSession.OpenSessions (the shutdown uses the tracker's map).
    private sealed class EndpointSessionGroup : ISessionGroup
    {
        private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

        public void Add(WebSocketSession session) => _sessions.TryAdd(session, 0);

        public void Remove(WebSocketSession session) => _sessions.TryRemove(session, out _);

        // ConcurrentDictionary.Keys is already a point-in-time copy.
        public IReadOnlyCollection<WebSocketSession> Snapshot() => (IReadOnlyCollection<WebSocketSession>)_sessions.Keys;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.DrainTimedOut, Level = LogLevel.Warning, Message = "{Count} WebSocket sessions were still running after the shutdown drain time of {DrainTimeout}; their connections are dropped.")]
        public static partial void DrainTimedOut(ILogger logger, int count, TimeSpan drainTimeout);

        [LoggerMessage(EventId = LogEvents.SessionAbandoned, Level = LogLevel.Warning, Message = "A handler of WebSocket session {SessionId} did not return after its connection was dropped at shutdown; its close handler runs now and the session is abandoned.")]
        public static partial void SessionAbandoned(ILogger logger, string sessionId);

        [LoggerMessage(EventId = LogEvents.CloseHandlersTimedOut, Level = LogLevel.Warning, Message = "Close handlers of abandoned WebSocket sessions did not return in time; the shutdown goes on without them.")]
        public static partial void CloseHandlersTimedOut(ILogger logger);
    }
}
