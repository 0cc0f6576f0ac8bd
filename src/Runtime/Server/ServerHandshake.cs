using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Reads the opening handshake of a request: an HTTP/1.1 upgrade (RFC 6455 §4.2.1) or an HTTP/2 extended
/// CONNECT (RFC 8441 §5), and says which HTTP error answers a request that is not a valid one.
/// </summary>
internal static class ServerHandshake
{
    public const string SupportedVersion = "13";

    /// <summary>Validates the request; on failure <paramref name="failure"/> says what to answer.</summary>
    public static bool TryValidate(HttpContext context, out HandshakeKind kind, out string? key, out HandshakeFailure failure)
    {
        key = null;
        kind = default;
        var request = context.Request;
        var connect = context.Features.Get<IHttpExtendedConnectFeature>();
        if (connect is { IsExtendedConnect: true })
        {
            if (!string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase))
            {
                failure = HandshakeFailure.NotWebSocket;
                return false;
            }

            kind = HandshakeKind.ExtendedConnect;
        }
        else
        {
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            if (upgrade is not { IsUpgradableRequest: true }
                || !HttpMethods.IsGet(request.Method)
                || !HasToken(request.Headers.Connection, "upgrade")
                || !HasToken(request.Headers.Upgrade, "websocket"))
            {
                failure = HandshakeFailure.NotWebSocket;
                return false;
            }

            kind = HandshakeKind.Upgrade;
        }

        var version = request.Headers.SecWebSocketVersion;
        if (version.Count != 1 || !string.Equals(version[0]?.Trim(), SupportedVersion, StringComparison.Ordinal))
        {
            failure = HandshakeFailure.UnsupportedVersion;
            return false;
        }

        if (kind == HandshakeKind.Upgrade)
        {
            var keys = request.Headers.SecWebSocketKey;
            if (keys.Count != 1 || !IsValidKey(keys[0]))
            {
                failure = HandshakeFailure.BadKey;
                return false;
            }

            key = keys[0]!.Trim();
        }

        failure = default;
        return true;
    }

    /// <summary>
    /// Whether the request's headers, counted as the UTF-8 bytes of every name and value, stay within
    /// <paramref name="maxBytes"/> (<see cref="AnnotatedWebSocketsOptions.MaxHandshakeHeaderBytes"/>). Stops
    /// counting as soon as the limit is passed.
    /// </summary>
    public static bool HeadersWithin(HttpRequest request, int maxBytes)
    {
        long total = 0;
        // Through CopyTo, not foreach: enumerating Kestrel's request headers leaves a cached enumerator on the
        // connection for its whole life (docs/PERFORMANCE.md, idle memory).
        var headers = request.Headers;
        var pairs = new KeyValuePair<string, StringValues>[headers.Count];
        headers.CopyTo(pairs, 0);
        foreach (var (name, values) in pairs)
        {
            total += Encoding.UTF8.GetByteCount(name);
            foreach (var value in values)
            {
                if (value is not null)
                {
                    total += Encoding.UTF8.GetByteCount(value);
                }
            }

            if (total > maxBytes)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The values of a comma-separated header, trimmed, in order, over every occurrence of the header.</summary>
    public static List<string> SplitList(StringValues values)
    {
        var result = new List<string>();
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Writes the answer to a request that is not a valid handshake.</summary>
    public static void WriteFailure(HttpContext context, HandshakeFailure failure)
    {
        var response = context.Response;
        switch (failure)
        {
            case HandshakeFailure.UnsupportedVersion:
                response.StatusCode = StatusCodes.Status426UpgradeRequired;
                response.Headers.SecWebSocketVersion = SupportedVersion;
                break;
            case HandshakeFailure.BadKey:
                response.StatusCode = StatusCodes.Status400BadRequest;
                break;
            case HandshakeFailure.HeadersTooLarge:
                response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
                break;
            default:
                response.StatusCode = StatusCodes.Status426UpgradeRequired;
                if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
                {
                    // Upgrade is a connection-specific header, not allowed in HTTP/2 responses.
                    response.Headers.Upgrade = "websocket";
                }

                response.Headers.SecWebSocketVersion = SupportedVersion;
                break;
        }
    }

    private static bool IsValidKey(string? key)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            return false;
        }

        Span<byte> decoded = stackalloc byte[24];
        return Convert.TryFromBase64String(key.Trim(), decoded, out var written) && written == 16;
    }

    private static bool HasToken(StringValues values, string token)
    {
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var item in value.Split(','))
            {
                if (item.AsSpan().Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}

/// <summary>How the connection becomes a WebSocket.</summary>
internal enum HandshakeKind
{
    /// <summary>HTTP/1.1 <c>Upgrade: websocket</c>, answered with 101.</summary>
    Upgrade,

    /// <summary>HTTP/2 (or HTTP/3) extended CONNECT with <c>:protocol = websocket</c>, answered with 200.</summary>
    ExtendedConnect,
}

/// <summary>Why a request is not a valid handshake.</summary>
internal enum HandshakeFailure
{
    /// <summary>Not a WebSocket request at all: 426.</summary>
    NotWebSocket,

    /// <summary>A version other than 13: 426 with <c>Sec-WebSocket-Version: 13</c>.</summary>
    UnsupportedVersion,

    /// <summary>A missing or malformed <c>Sec-WebSocket-Key</c>: 400.</summary>
    BadKey,

    /// <summary>More header bytes than <see cref="AnnotatedWebSocketsOptions.MaxHandshakeHeaderBytes"/>: 431.</summary>
    HeadersTooLarge,
}
