using System.Collections.Concurrent;
using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Client;

/// The open client sessions of one endpoint type within one container: what
/// <see cref="WebSocketSession.OpenSessions"/> returns on the client side.
internal sealed class ClientSessionGroup : ISessionGroup
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();

    public void Add(WebSocketSession session) => _sessions.TryAdd(session, 0);

    public void Remove(WebSocketSession session) => _sessions.TryRemove(session, out _);

    public IReadOnlyCollection<WebSocketSession> Snapshot() => [.. _sessions.Keys];
}
