using System.Collections.Concurrent;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Hosting;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Every open server session, grouped by endpoint (for <see cref="WebSocketSession.OpenSessions"/>), and the
/// shutdown hook: when the application stops, every open session is closed with 1001 (going away).
/// </summary>
internal sealed class ServerSessionTracker : IDisposable
{
    // Keyed by what identifies a logical endpoint, not by config instance: a caller of
    // IServerContainer.UpgradeHttpToWebSocketAsync may build a new config per request.
    private readonly ConcurrentDictionary<(Type EndpointType, string Path), EndpointSessionGroup> _groups = new();
    private readonly ConcurrentDictionary<EngineWebSocketSession, byte> _all = new();
    private readonly CancellationTokenRegistration _stopping;
    private volatile bool _stopped;

    public ServerSessionTracker(IHostApplicationLifetime? lifetime)
    {
        if (lifetime is not null)
        {
            _stopping = lifetime.ApplicationStopping.Register(static state => ((ServerSessionTracker)state!).CloseAll(), this);
        }
    }

    /// <summary>The open sessions of every endpoint.</summary>
    public int Count => _all.Count;

    /// <summary>Whether the application is stopping: new sessions are closed as soon as they open.</summary>
    public bool IsStopping => _stopped;

    public ISessionGroup GetGroup(ServerEndpointConfig config) =>
        _groups.GetOrAdd((config.EndpointType, config.Path), static (_, tracker) => new EndpointSessionGroup(tracker), this);

    public void Dispose() => _stopping.Dispose();

    private void CloseAll()
    {
        _stopped = true;
        foreach (var session in _all.Keys)
        {
            // Fire and forget: the callback must not block the host's shutdown; each close ends its own loop.
            _ = session.CloseForShutdownAsync();
        }
    }

    private sealed class EndpointSessionGroup(ServerSessionTracker tracker) : ISessionGroup
    {
        private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

        public void Add(WebSocketSession session)
        {
            _sessions.TryAdd(session, 0);
            if (session is EngineWebSocketSession engineSession)
            {
                tracker._all.TryAdd(engineSession, 0);
                if (tracker._stopped)
                {
                    _ = engineSession.CloseForShutdownAsync();
                }
            }
        }

        public void Remove(WebSocketSession session)
        {
            _sessions.TryRemove(session, out _);
            if (session is EngineWebSocketSession engineSession)
            {
                tracker._all.TryRemove(engineSession, out _);
            }
        }

        // ConcurrentDictionary.Keys is already a point-in-time copy.
        public IReadOnlyCollection<WebSocketSession> Snapshot() => (IReadOnlyCollection<WebSocketSession>)_sessions.Keys;
    }
}
