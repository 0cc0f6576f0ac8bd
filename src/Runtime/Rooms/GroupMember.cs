namespace Annotated.WebSockets;

/// <summary>A member of a group on any node: its session's id and its user (see <see cref="IWebSocketUserIdProvider"/>).</summary>
/// <param name="SessionId">The session's <see cref="WebSocketSession.Id"/>.</param>
/// <param name="UserId">The session's user id; null for a session without one.</param>
public readonly record struct GroupMember(string SessionId, string? UserId);
