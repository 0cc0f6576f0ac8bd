using System.Security.Claims;

namespace Annotated.WebSockets;

/// <summary>
/// Which user a session belongs to, for <see cref="WebSocketGroups.SendToUserAsync"/> (SignalR's <c>IUserIdProvider</c>).
/// Register your own in the services to replace the default, which takes the <see cref="ClaimTypes.NameIdentifier"/>
/// claim of the handshake's authenticated principal.
/// </summary>
public interface IWebSocketUserIdProvider
{
    /// <summary>The session's user id, or null when it has none (it then receives no user send).</summary>
    /// <param name="session">A session that has just opened.</param>
    string? GetUserId(WebSocketSession session);
}

/// <summary>The default <see cref="IWebSocketUserIdProvider"/>: the name identifier claim of <see cref="WebSocketSession.User"/>.</summary>
public sealed class NameIdentifierUserIdProvider : IWebSocketUserIdProvider
{
    /// <inheritdoc />
    public string? GetUserId(WebSocketSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.User?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
    }
}
