using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Applies <see cref="AnnotatedWebSocketsOptions.HandshakeTimeout"/> to Kestrel: the time to receive a request's
/// headers is the only handshake time a server can bound, since the request is a handshake only once its headers
/// are in. A value the application set on Kestrel itself (anything but Kestrel's default) is left alone.
/// </summary>
internal sealed class KestrelHandshakeTimeoutSetup(IOptions<AnnotatedWebSocketsOptions> options) : IPostConfigureOptions<KestrelServerOptions>
{
    private static readonly TimeSpan s_kestrelDefault = new KestrelServerLimits().RequestHeadersTimeout;

    public void PostConfigure(string? name, KestrelServerOptions kestrel)
    {
        if (options.Value.HandshakeTimeout is { } timeout && kestrel.Limits.RequestHeadersTimeout == s_kestrelDefault)
        {
            kestrel.Limits.RequestHeadersTimeout = timeout;
        }
    }
}
