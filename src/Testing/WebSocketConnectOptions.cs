using System.Security.Claims;
using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Testing;

/// <summary>How a test client connects: the handshake request's headers, subprotocols, user and extensions.</summary>
public sealed class WebSocketConnectOptions
{
    /// <summary>The subprotocols to offer, most preferred first.</summary>
    public IList<string> Subprotocols { get; } = new List<string>();

    /// <summary>Extra request headers (an <c>Origin</c>, an <c>Authorization</c>, a cookie…), added as given.</summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The user of the request, set on <c>HttpContext.User</c> before the application's pipeline runs; an
    /// authentication middleware may replace it. Null (the default): anonymous.
    /// </summary>
    public ClaimsPrincipal? User { get; set; }

    /// <summary>The permessage-deflate offer, or null (the default) to offer no extension.</summary>
    public PerMessageDeflateOffer? PerMessageDeflate { get; set; }

    /// <summary>Encoder types for <see cref="WebSocketTestClient.SendObjectAsync"/>, as on a client endpoint's configuration.</summary>
    public IList<Type> Encoders { get; } = new List<Type>();

    /// <summary>Adds subprotocols to offer.</summary>
    /// <param name="subprotocols">The names, most preferred first.</param>
    /// <returns>These options.</returns>
    public WebSocketConnectOptions WithSubprotocols(params string[] subprotocols)
    {
        foreach (var subprotocol in subprotocols)
        {
            Subprotocols.Add(subprotocol);
        }

        return this;
    }

    /// <summary>Adds a request header.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">Its value.</param>
    /// <returns>These options.</returns>
    public WebSocketConnectOptions WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}

/// <summary>
/// The outcome of <see cref="WebSocketTestHost.TryConnectAsync"/>: the connected client, or the status code and body
/// of a refused handshake (a 403 from an origin check, a 401 from authentication, a 404 for a path no endpoint
/// matches).
/// </summary>
public sealed class WebSocketConnectResult
{
    internal WebSocketConnectResult(int statusCode, IReadOnlyDictionary<string, IReadOnlyList<string>> headers, string body, WebSocketTestClient? client, string? failure)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        Client = client;
        Failure = failure;
    }

    /// <summary>Whether the server upgraded the connection (101) and the client accepted its answer.</summary>
    public bool IsAccepted => Client is not null;

    /// <summary>The status code of the server's answer: 101 when it upgraded.</summary>
    public int StatusCode { get; }

    /// <summary>The headers of the server's answer.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>The body of a refusal (empty for a 101).</summary>
    public string Body { get; }

    /// <summary>The connected client, or null when refused.</summary>
    public WebSocketTestClient? Client { get; }

    /// <summary>Why the connection was not made, in words (the refusal, or the client's objection to the answer); null when accepted.</summary>
    public string? Failure { get; }
}
