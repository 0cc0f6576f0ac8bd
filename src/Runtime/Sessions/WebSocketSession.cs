using System.Security.Claims;

namespace Annotated.WebSockets;

/// <summary>
/// One conversation between an endpoint and a peer. There is exactly one session per connection; it is
/// passed to the endpoint's handlers and stays valid until its <see cref="OnCloseAttribute"/> method returns.
/// </summary>
public abstract class WebSocketSession
{
    /// <summary>A unique identifier of this session within the process.</summary>
    public abstract string Id { get; }

    /// <summary>Whether the session is open: messages can be sent and received.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Whether the connection is secured by TLS (<c>wss</c>).</summary>
    public abstract bool IsSecure { get; }

    /// <summary>The full URI of the opening handshake request, including the query string.</summary>
    public abstract Uri RequestUri { get; }

    /// <summary>The query string of the handshake request without the leading <c>?</c>, or null when there is none.</summary>
    public abstract string? QueryString { get; }

    /// <summary>The values of the endpoint's URI template variables for this connection.</summary>
    public abstract IReadOnlyDictionary<string, string> PathParameters { get; }

    /// <summary>The query parameters (multi-valued) and the path parameters of the handshake request.</summary>
    public abstract IReadOnlyDictionary<string, IReadOnlyList<string>> RequestParameters { get; }

    /// <summary>Properties of this session; starts as a shallow copy of the endpoint configuration's.</summary>
    public abstract IDictionary<string, object?> UserProperties { get; }

    /// <summary>The open sessions of the same endpoint, this one included.</summary>
    public abstract IReadOnlyCollection<WebSocketSession> OpenSessions { get; }

    /// <summary>The subprotocol agreed in the handshake, or the empty string when there is none.</summary>
    public abstract string NegotiatedSubprotocol { get; }

    /// <summary>The authenticated user of the handshake request, or null.</summary>
    public abstract ClaimsPrincipal? User { get; }

    /// <summary>Sends to the peer; each task completes when the message is written.</summary>
    public abstract IBasicRemoteEndpoint BasicRemote { get; }

    /// <summary>Closes the session with a normal closure (1000).</summary>
    /// <returns>A task that completes when the close handshake has finished or timed out.</returns>
    public Task CloseAsync() => CloseAsync(CloseReason.NormalClosure);

    /// <summary>Closes the session with <paramref name="reason"/>.</summary>
    /// <param name="reason">The code and phrase sent to the peer and reported to the local close handler.</param>
    /// <returns>A task that completes when the close handshake has finished or timed out.</returns>
    public abstract Task CloseAsync(CloseReason reason);
}
