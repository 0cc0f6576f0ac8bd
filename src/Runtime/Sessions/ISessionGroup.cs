namespace Annotated.WebSockets.Sessions;

/// <summary>The open sessions of one endpoint; backs <see cref="WebSocketSession.OpenSessions"/>. Thread-safe.</summary>
internal interface ISessionGroup
{
    /// <summary>Adds a session that has just opened.</summary>
    void Add(WebSocketSession session);

    /// <summary>Removes a session that is closing.</summary>
    void Remove(WebSocketSession session);

    /// <summary>A snapshot of the open sessions.</summary>
    IReadOnlyCollection<WebSocketSession> Snapshot();
}
