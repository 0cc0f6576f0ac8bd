using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Annotated.WebSockets.Sessions;

/// <summary>What a session knows of the handshake that opened it; captured once so the session never touches the HTTP request afterwards.</summary>
internal sealed class SessionConnectionInfo
{
    private Uri? _requestUri;

    /// <summary>
    /// The full ws/wss request URI, query included. A server session builds it on first read from
    /// <see cref="Host"/>, <see cref="PathBase"/>, <see cref="Path"/> and <see cref="Query"/>: most sessions never
    /// ask, and an idle connection should not hold a <see cref="Uri"/> and its strings for nothing.
    /// </summary>
    public Uri RequestUri
    {
        get => _requestUri ?? CreateRequestUri();
        init => _requestUri = value;
    }

    /// <summary>The request's host, for <see cref="RequestUri"/> (the strings are the request's own, not copies).</summary>
    public HostString Host { get; init; }

    /// <summary>The request's path base, for <see cref="RequestUri"/>.</summary>
    public PathString PathBase { get; init; }

    /// <summary>The request's path, for <see cref="RequestUri"/>.</summary>
    public PathString Path { get; init; }

    /// <summary>The request's query, for <see cref="RequestUri"/>.</summary>
    public Microsoft.AspNetCore.Http.QueryString Query { get; init; }

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

    private Uri CreateRequestUri()
    {
        var created = new Uri(UriHelper.BuildAbsolute(IsSecure ? "wss" : "ws", Host, PathBase, Path, Query));
        return Interlocked.CompareExchange(ref _requestUri, created, null) ?? created;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyPathParameters =
        new Dictionary<string, string>(0, StringComparer.Ordinal);
}
