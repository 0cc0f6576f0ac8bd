using System.Security.Claims;

namespace Annotated.WebSockets.Sessions;

/// <summary>What a session knows of the handshake that opened it; captured once so the session never touches the HTTP request afterwards.</summary>
internal sealed class SessionConnectionInfo
{
    /// <summary>The full ws/wss request URI, query included.</summary>
    public required Uri RequestUri { get; init; }

    /// <summary>The query string without '?', or null.</summary>
    public string? QueryString { get; init; }

    /// <summary>Whether the transport is TLS.</summary>
    public bool IsSecure { get; init; }

    /// <summary>The authenticated user, or null.</summary>
    public ClaimsPrincipal? User { get; init; }

    /// <summary>The URI template values.</summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = EmptyPathParameters;

    /// <summary>The query parameters, multi-valued, in request order.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> QueryParameters { get; init; } = [];

    /// <summary>The agreed subprotocol, or "".</summary>
    public string NegotiatedSubprotocol { get; init; } = string.Empty;

    /// <summary>The extensions agreed in the handshake, in header order.</summary>
    public IReadOnlyList<Extension> NegotiatedExtensions { get; init; } = [];

    private static readonly IReadOnlyDictionary<string, string> EmptyPathParameters =
        new Dictionary<string, string>(0, StringComparer.Ordinal);
}
