using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Customises the opening handshake of a server endpoint and how its instances are made. Derive from it and
/// name the type in <see cref="ServerEndpointAttribute.Configurator"/>; one configurator instance serves every
/// connection of its endpoint, so overrides must be thread-safe.
/// </summary>
public class ServerEndpointConfigurator
{
    /// <summary>
    /// Decides whether a handshake with this <c>Origin</c> header is accepted; a refused handshake gets
    /// HTTP 403. The default accepts every origin, including a missing one (non-browser clients send none).
    /// </summary>
    /// <param name="origin">The <c>Origin</c> header value, or null when the request has none.</param>
    /// <returns>True to accept the handshake.</returns>
    public virtual bool CheckOrigin(string? origin) => true;

    /// <summary>
    /// Picks the subprotocol of a connection. The default returns the first subprotocol of the client's
    /// list that the server supports (compared ordinally), or the empty string when there is none, in which
    /// case no <c>Sec-WebSocket-Protocol</c> header is sent.
    /// </summary>
    /// <param name="supported">The endpoint's subprotocols, in the server's order of preference.</param>
    /// <param name="requested">The client's subprotocols, in the client's order of preference.</param>
    /// <returns>The chosen subprotocol, or the empty string.</returns>
    public virtual string GetNegotiatedSubprotocol(IReadOnlyList<string> supported, IReadOnlyList<string> requested)
    {
        ArgumentNullException.ThrowIfNull(supported);
        ArgumentNullException.ThrowIfNull(requested);
        foreach (var candidate in requested)
        {
            foreach (var offered in supported)
            {
                if (string.Equals(candidate, offered, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }

        return string.Empty;
    }

    /// <summary>
    /// Creates the endpoint instance for a new connection; called once per connection. The default creates
    /// a new instance through the generated factory, resolving constructor arguments from
    /// <paramref name="services"/> (the connection's own DI scope). An override that returns a shared
    /// instance must make that instance safe for concurrent calls.
    /// </summary>
    /// <param name="endpointType">The endpoint class.</param>
    /// <param name="services">The services of the connection's DI scope.</param>
    /// <returns>An instance of <paramref name="endpointType"/>.</returns>
    /// <exception cref="InvalidOperationException">The endpoint class was not compiled by the source generator.</exception>
    public virtual object GetEndpointInstance(Type endpointType, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(endpointType);
        ArgumentNullException.ThrowIfNull(services);
        var definition = AnnotatedEndpointRegistry.Find(endpointType)
            ?? throw new InvalidOperationException(
                $"'{endpointType.FullName}' is not a registered endpoint: the source generator registers classes marked [ServerEndpoint].");
        return definition.CreateEndpoint(services);
    }
}
