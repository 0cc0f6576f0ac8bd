namespace Annotated.WebSockets.Client;

/// <summary>
/// Lets a client endpoint take part in its opening handshake: add or change request headers before the request
/// goes out, and read the server's response headers. Name a subclass with
/// <see cref="ClientEndpointAttribute.Configurator"/> or pass an instance through
/// <see cref="ClientEndpointConfig.Builder.WithConfigurator"/>. The default does nothing.
/// </summary>
public class ClientEndpointConfigurator
{
    /// <summary>
    /// Called just before the handshake request is sent, with the headers the container is about to add to it
    /// (the offered <c>Sec-WebSocket-Protocol</c> and <c>Sec-WebSocket-Extensions</c>, when there are any).
    /// Add, change or remove headers here; names are compared without regard to case.
    /// </summary>
    /// <remarks>
    /// <c>Connection</c>, <c>Upgrade</c>, <c>Sec-WebSocket-Key</c> and <c>Sec-WebSocket-Version</c> belong to the
    /// protocol: the container sets them itself and ignores them here. The server's answer is checked against the
    /// subprotocols and extensions left in this dictionary.
    /// </remarks>
    /// <param name="headers">The mutable request headers.</param>
    public virtual void BeforeRequest(IDictionary<string, IList<string>> headers)
    {
    }

    /// <summary>
    /// Called when the server's handshake response has arrived, before the container checks it: for a
    /// successful upgrade and for a refused one (a 404 or 403 for example), in which case the connection then
    /// fails with a <see cref="DeploymentException"/>. An exception thrown here also fails the connection.
    /// </summary>
    /// <param name="response">The status code and headers of the server's response.</param>
    public virtual void AfterResponse(HandshakeResponse response)
    {
    }
}
