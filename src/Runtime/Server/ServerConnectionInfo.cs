using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Annotated.WebSockets.Server;

/// <summary>
/// A server session's handshake facts. The request URI is built on first read from the request's own strings: most
/// sessions never ask, and an idle connection should not hold a <see cref="Uri"/> and its strings for nothing.
/// </summary>
internal sealed class ServerConnectionInfo : SessionConnectionInfo
{
    /// <summary>The request's host, for <see cref="SessionConnectionInfo.RequestUri"/> (the strings are the request's own, not copies).</summary>
    public HostString Host { get; init; }

    /// <summary>The request's path base.</summary>
    public PathString PathBase { get; init; }

    /// <summary>The request's path.</summary>
    public PathString Path { get; init; }

    /// <summary>The request's query.</summary>
    public Microsoft.AspNetCore.Http.QueryString Query { get; init; }

    /// <inheritdoc />
    protected override Uri BuildRequestUri() =>
        new(UriHelper.BuildAbsolute(IsSecure ? "wss" : "ws", Host, PathBase, Path, Query));
}
