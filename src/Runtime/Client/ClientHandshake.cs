using System.Net;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Client;

/// The client's opening handshake over SocketsHttpHandler (RFC 6455 §4.1 for HTTP/1.1, RFC 8441 for HTTP/2):
/// the request, and the checks of the response that decide whether the connection may be used. It mirrors what
/// ClientWebSocket does on .NET 7+, whose 101 (or HTTP/2 200) response content stream is the duplex connection.
internal static class ClientHandshake
{
    public const string SecWebSocketProtocol = "Sec-WebSocket-Protocol";
    public const string SecWebSocketExtensions = "Sec-WebSocket-Extensions";

    // Headers that make the handshake what it is: the container owns them, a configurator cannot change them.
    private static readonly HashSet<string> s_reservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version", HandshakeResponse.SecWebSocketAccept,
    };

    /// Sends the handshake and returns the server's response headers (the content not yet read). Tries HTTP/2
    /// extended CONNECT first when the configuration asks for it, falling back to HTTP/1.1 when allowed.
    public static async Task<HttpResponseMessage> SendAsync(
        HttpMessageInvoker invoker,
        Uri uri,
        ClientEndpointConfig config,
        IDictionary<string, IList<string>> headers,
        string key,
        CancellationToken cancellationToken)
    {
        var secure = IsSecure(uri);
        var tryHttp2 = config.HttpVersion.Major >= 2
            || (config.HttpVersionPolicy == HttpVersionPolicy.RequestVersionOrHigher && secure);
        var mayUseHttp11 = config.HttpVersion.Major < 2 || config.HttpVersionPolicy == HttpVersionPolicy.RequestVersionOrLower;
        if (tryHttp2)
        {
            // Always HTTP/2 exactly (ALPN offers only h2): a CONNECT must never go out as an HTTP/1.1 request.
            using var connect = CreateRequest(uri, headers, key, http2: true);
            try
            {
                return await invoker.SendAsync(connect, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (mayUseHttp11 && IsHttp2Refusal(ex))
            {
                // The server does not speak HTTP/2 or has no extended CONNECT: use the HTTP/1.1 upgrade.
            }
        }

        using var upgrade = CreateRequest(uri, headers, key, http2: false);
        return await invoker.SendAsync(upgrade, cancellationToken).ConfigureAwait(false);
    }

    public static bool IsSecure(Uri uri) => string.Equals(uri.Scheme, "wss", StringComparison.OrdinalIgnoreCase);

    /// The response headers for the configurator (content headers included).
    public static HandshakeResponse ToHandshakeResponse(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.NonValidated)
        {
            headers[name] = [.. values];
        }

        foreach (var (name, values) in response.Content.Headers.NonValidated)
        {
            headers[name] = [.. values];
        }

        return new HandshakeResponse((int)response.StatusCode, headers);
    }

    /// Checks a response to the handshake; throws <see cref="DeploymentException"/> when the server refused the
    /// upgrade or answered something the client did not ask for.
    public static HandshakeOutcome Validate(
        HttpResponseMessage response,
        Uri uri,
        string key,
        IReadOnlyList<string> offeredSubprotocols,
        PerMessageDeflateOptions? deflateOffer)
    {
        var http2 = response.Version.Major >= 2;
        var expected = http2 ? HttpStatusCode.OK : HttpStatusCode.SwitchingProtocols;
        if (response.StatusCode != expected)
        {
            throw new DeploymentException(
                $"The server refused the WebSocket handshake to {uri}: it answered {(int)response.StatusCode} {response.ReasonPhrase} instead of {(int)expected}.");
        }

        if (!http2)
        {
            if (!HasToken(response, "Upgrade", "websocket") || !HasToken(response, "Connection", "upgrade"))
            {
                throw Invalid(uri, "the 101 response does not say 'Upgrade: websocket' and 'Connection: Upgrade'");
            }

            var accept = Single(response, HandshakeResponse.SecWebSocketAccept);
            if (!string.Equals(accept, WebSocketHandshake.ComputeAcceptKey(key), StringComparison.Ordinal))
            {
                throw Invalid(uri, $"its Sec-WebSocket-Accept '{accept}' does not match the key sent");
            }
        }

        var subprotocol = string.Empty;
        if (response.Headers.NonValidated.TryGetValues(SecWebSocketProtocol, out var protocols))
        {
            var answered = string.Join(", ", protocols).Trim();
            if (answered.Length > 0)
            {
                if (!offeredSubprotocols.Contains(answered, StringComparer.Ordinal))
                {
                    throw Invalid(uri, $"it chose the subprotocol '{answered}', which the client did not offer");
                }

                subprotocol = answered;
            }
        }

        PerMessageDeflateParameters? deflate = null;
        IReadOnlyList<Extension> agreed = [];
        if (response.Headers.NonValidated.TryGetValues(SecWebSocketExtensions, out var extensions))
        {
            var answered = string.Join(", ", extensions).Trim();
            if (answered.Length > 0)
            {
                if (deflateOffer is null)
                {
                    throw Invalid(uri, $"it answered the extensions '{answered}', which the client did not offer");
                }

                if (!PerMessageDeflateNegotiator.TryAcceptResponse(answered, deflateOffer, out deflate))
                {
                    throw Invalid(uri, $"its extensions '{answered}' are not an acceptable answer to the offer '{PerMessageDeflateNegotiator.CreateOffer(deflateOffer)}'");
                }

                agreed = [Extension.Parse(answered)];
            }
        }

        return new HandshakeOutcome(subprotocol, deflate, agreed);
    }

    /// The subprotocols the request finally offered (after the configurator), in order.
    public static List<string> OfferedValues(IDictionary<string, IList<string>> headers, string name)
    {
        var result = new List<string>();
        if (headers.TryGetValue(name, out var values) && values is not null)
        {
            foreach (var value in values)
            {
                if (value is not null)
                {
                    result.AddRange(value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                }
            }
        }

        return result;
    }

    private static HttpRequestMessage CreateRequest(Uri uri, IDictionary<string, IList<string>> headers, string key, bool http2)
    {
        HttpRequestMessage request;
        if (http2)
        {
            request = new HttpRequestMessage(HttpMethod.Connect, uri)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.Protocol = "websocket";
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            };
            request.Headers.TryAddWithoutValidation("Connection", "Upgrade");
            request.Headers.TryAddWithoutValidation("Upgrade", "websocket");
            request.Headers.TryAddWithoutValidation("Sec-WebSocket-Key", key);
        }

        request.Headers.TryAddWithoutValidation("Sec-WebSocket-Version", "13");
        foreach (var (name, values) in headers)
        {
            if (s_reservedHeaders.Contains(name) || values is null || values.Count == 0)
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, values))
            {
                request.Dispose();
                throw new DeploymentException($"The handshake request cannot carry the header '{name}' (it describes a request body, and a handshake has none).");
            }
        }

        return request;
    }

    // Whether another attempt over HTTP/1.1 may succeed where HTTP/2 failed. Without HTTP/2 a server fails the
    // attempt in many ways: TLS without a common ALPN protocol (SecureConnectionError), an HTTP/1.1 answer to the
    // prior-knowledge preface (protocol errors), or no SETTINGS_ENABLE_CONNECT_PROTOCOL (ExtendedConnectNotSupported).
    // Only a server that cannot be reached at all is not worth a second attempt. A TLS failure for another reason
    // (an untrusted certificate) simply fails again, with the same error, over HTTP/1.1.
    private static bool IsHttp2Refusal(HttpRequestException exception) =>
        exception.HttpRequestError is not (HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError);

    private static bool HasToken(HttpResponseMessage response, string header, string token)
    {
        if (!response.Headers.NonValidated.TryGetValues(header, out var values))
        {
            return false;
        }

        foreach (var value in values)
        {
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

    private static string? Single(HttpResponseMessage response, string header) =>
        response.Headers.NonValidated.TryGetValues(header, out var values) && values.Count == 1
            ? values.ToString().Trim()
            : null;

    private static DeploymentException Invalid(Uri uri, string problem) =>
        new($"The WebSocket handshake to {uri} failed: {problem}.");
}

/// What the handshake agreed: the subprotocol ("" for none), the permessage-deflate parameters (null for none) and
/// the agreed extensions as the session reports them.
internal readonly record struct HandshakeOutcome(string Subprotocol, PerMessageDeflateParameters? Deflate, IReadOnlyList<Extension> Extensions);
