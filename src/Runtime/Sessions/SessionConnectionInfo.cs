using System.Security.Claims;

namespace Annotated.WebSockets.Sessions;

/// <summary>What a session knows of the handshake that opened it; captured once so the session never touches the HTTP request afterwards.</summary>
/// <remarks>Host-agnostic: the server's subclass builds <see cref="RequestUri"/> from the request's own strings on first read.</remarks>
internal class SessionConnectionInfo
{
    private Uri? _requestUri;

    /// <summary>The full ws/wss request URI, query included.</summary>
    public Uri RequestUri
    {
        get => _requestUri ?? CreateRequestUri();
        init => _requestUri = value;
    }

    /// <summary>The query string without '?', or null.</summary>
    public string? QueryString { get; init; }

    /// <summary>The span of the upgrade request (server) or of the connect (client): every span of the session links to it.</summary>
    public System.Diagnostics.ActivityContext UpgradeContext { get; init; }

    /// <summary>Whether the transport is TLS.</summary>
    public bool IsSecure { get; init; }

    /// <summary>
    /// When the handshake's authentication stops being valid (the ticket's <c>ExpiresUtc</c>), if the container closes
    /// sessions then (<c>AnnotatedWebSocketsOptions.CloseOnAuthenticationExpiration</c>); null otherwise.
    /// </summary>
    public DateTimeOffset? AuthenticationExpiresAt { get; init; }

    /// <summary>The authenticated user, or null.</summary>
    public ClaimsPrincipal? User { get; init; }

    /// <summary>The URI template values.</summary>
    public IReadOnlyDictionary<string, string> PathParameters { get; init; } = EmptyPathParameters;

    /// <summary>The query parameters, multi-valued, in request order; each list read-only (it reaches user code).</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> QueryParameters { get; init; } = [];

    /// <summary>The agreed subprotocol, or "".</summary>
    public string NegotiatedSubprotocol { get; init; } = string.Empty;

    /// <summary>The extensions agreed in the handshake, in header order.</summary>
    public IReadOnlyList<Extension> NegotiatedExtensions { get; init; } = [];

    /// <summary>
    /// Query and path parameters in one map (Jakarta's <c>getRequestParameterMap</c>): the query's values in request
    /// order, then each path parameter, which wins over a query parameter of the same name. Read-only all the way down
    /// (the map and its lists): it is given to user code, which must not change what a later reader sees.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> BuildRequestParameters()
    {
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryParameters)
        {
            parameters[name] = values;
        }

        foreach (var (name, value) in PathParameters)
        {
            parameters[name] = new[] { value }.AsReadOnly();
        }

        return parameters.AsReadOnly();
    }

    /// <summary>Builds the request URI on its first read when it was not given.</summary>
    protected virtual Uri BuildRequestUri() =>
        throw new InvalidOperationException("The connection info has no request URI.");

    private Uri CreateRequestUri()
    {
        var created = BuildRequestUri();
        return Interlocked.CompareExchange(ref _requestUri, created, null) ?? created;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyPathParameters =
        new Dictionary<string, string>(0, StringComparer.Ordinal);
}
