namespace Annotated.WebSockets.Sessions;

/// <summary>
/// The container's side of a session's life: what a session asks of the server or client container that runs it.
/// Declared here, in the layer that calls it, so that sessions know no container.
/// </summary>
internal interface ISessionHost
{
    /// <summary>The open sessions of the endpoint that <paramref name="session"/> belongs to (its <see cref="WebSocketSession.OpenSessions"/>).</summary>
    ISessionGroup GroupOf(EngineWebSocketSession session);

    /// <summary>A new session id, unique across every node of the application (a backplane may route by it).</summary>
    string CreateSessionId();

    /// <summary>The session has opened (before its OnOpen): the container indexes it (groups, users, ids).</summary>
    void SessionOpened(EngineWebSocketSession session);

    /// <summary>
    /// The session is closing (its receive loop ended, or a shutdown abandoned it), before its OnClose: it leaves every
    /// group, so a broadcast from OnClose no longer reaches it. Called once per session or twice; only the first counts.
    /// </summary>
    void SessionClosing(EngineWebSocketSession session);

    /// <summary>
    /// The session's close handler has run: it ended, or a shutdown abandoned it while a handler still holds its
    /// receive loop. Called at least once, possibly twice (abandoned, then ended); only the first call counts. The
    /// server tears the connection down then, so nothing awaits the session for the connection's whole life (an idle
    /// connection holds one pending async method, the session's own). Never throws.
    /// </summary>
    Task SessionEndedAsync(EngineWebSocketSession session);
}
