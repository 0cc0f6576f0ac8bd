namespace Annotated.WebSockets.Server;

/// <summary>
/// The headers of the 101 response as <see cref="ServerEndpointConfigurator.ModifyHandshake"/> may change them
/// (Jakarta's <c>HandshakeResponse</c> on the server; named apart from the client's
/// <c>Annotated.WebSockets.Client.HandshakeResponse</c>). Headers added here are copied into the response, except
/// the protocol headers the container owns (<c>Upgrade</c>, <c>Connection</c>, <c>Sec-WebSocket-Accept</c>,
/// <c>Sec-WebSocket-Protocol</c>, <c>Sec-WebSocket-Extensions</c>), which reflect the negotiation.
/// </summary>
public sealed class ServerHandshakeResponse
{
    /// <summary>The <c>Sec-WebSocket-Accept</c> header name.</summary>
    public const string SecWebSocketAccept = "Sec-WebSocket-Accept";

    /// <summary>Mutable response headers; names compared case-insensitively.</summary>
    public IDictionary<string, IList<string>> Headers { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
}
