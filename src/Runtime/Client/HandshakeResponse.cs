namespace Annotated.WebSockets.Client;

/// <summary>
/// The server's answer to a client's opening handshake, as <see cref="ClientEndpointConfigurator.AfterResponse"/>
/// sees it: the HTTP status and the response headers. It is also passed for a failed handshake (a 404, a 403),
/// as Jakarta WebSocket 2.3 requires.
/// </summary>
public sealed class HandshakeResponse
{
    /// <summary>The name of the header that carries the server's proof that it understood the handshake.</summary>
    public const string SecWebSocketAccept = "Sec-WebSocket-Accept";

    /// <summary>Creates a response with the given status code and headers.</summary>
    /// <param name="statusCode">The HTTP status code: 101 for an HTTP/1.1 upgrade, 200 for HTTP/2 extended CONNECT.</param>
    /// <param name="headers">The response headers; looked up without regard to case.</param>
    public HandshakeResponse(int statusCode, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        StatusCode = statusCode;
        var copy = new Dictionary<string, IReadOnlyList<string>>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values is null ? [] : values.ToArray().AsReadOnly();
        }

        Headers = copy.AsReadOnly();
    }

    /// <summary>The HTTP status code of the response.</summary>
    public int StatusCode { get; }

    /// <summary>The response headers (names compared without regard to case), each with all its values; read-only, a copy of what was given.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }
}
