using System.Security.Claims;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The opening handshake request as <see cref="ServerEndpointConfigurator.ModifyHandshake"/> sees it
/// (Jakarta's <c>HandshakeRequest</c>): read-only headers with case-insensitive names, the query and path
/// parameters, the URI and the user.
/// </summary>
public sealed class HandshakeRequest
{
    /// <summary>The <c>Sec-WebSocket-Key</c> header name.</summary>
    public const string SecWebSocketKey = "Sec-WebSocket-Key";

    /// <summary>The <c>Sec-WebSocket-Protocol</c> header name.</summary>
    public const string SecWebSocketProtocol = "Sec-WebSocket-Protocol";

    /// <summary>The <c>Sec-WebSocket-Version</c> header name.</summary>
    public const string SecWebSocketVersion = "Sec-WebSocket-Version";

    /// <summary>The <c>Sec-WebSocket-Extensions</c> header name.</summary>
    public const string SecWebSocketExtensions = "Sec-WebSocket-Extensions";

    private readonly SessionConnectionInfo _info;

    internal HandshakeRequest(HttpContext context, SessionConnectionInfo info, IReadOnlyDictionary<string, IReadOnlyList<string>> parameterMap)
    {
        HttpContext = context;
        _info = info;
        ParameterMap = parameterMap;
        // Copied now, since a configurator may keep this object past the request. Through CopyTo, not foreach:
        // enumerating Kestrel's request headers leaves a cached enumerator on the connection for its whole life.
        var requestHeaders = context.Request.Headers;
        var pairs = new KeyValuePair<string, StringValues>[requestHeaders.Count];
        requestHeaders.CopyTo(pairs, 0);
        var headers = new Dictionary<string, IReadOnlyList<string>>(pairs.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in pairs)
        {
            headers[name] = values.Where(static v => v is not null).Select(static v => v!).ToArray().AsReadOnly();
        }

        Headers = headers.AsReadOnly();
    }

    /// <summary>The request headers; read-only (the map and each list of values), names compared case-insensitively.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>
    /// The query parameters (multi-valued) and the path parameters (one value each); read-only, the map and each list
    /// of values: a cast to a mutable collection type fails or its mutators throw <see cref="NotSupportedException"/>,
    /// so a configurator cannot change what the session's <see cref="WebSocketSession.RequestParameters"/> later shows.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ParameterMap { get; }

    /// <summary>The query string without the leading <c>?</c>, or null.</summary>
    public string? QueryString => _info.QueryString;

    /// <summary>The full request URI with the <c>ws</c> or <c>wss</c> scheme, query included.</summary>
    public Uri RequestUri => _info.RequestUri;

    /// <summary>The authenticated user, or null when the request is not authenticated.</summary>
    public ClaimsPrincipal? User => HttpContext.User.Identity?.IsAuthenticated == true ? HttpContext.User : null;

    /// <summary>Jakarta's <c>getUserPrincipal</c>: the same as <see cref="User"/>.</summary>
    public ClaimsPrincipal? UserPrincipal => User;

    /// <summary>The ASP.NET Core context of the request, for anything else (connection, features, services).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Whether the authenticated user is in <paramref name="role"/>; false when not authenticated.</summary>
    /// <param name="role">The role name.</param>
    /// <returns>True when the user is authenticated and in the role.</returns>
    public bool IsUserInRole(string role) => User?.IsInRole(role) == true;
}
