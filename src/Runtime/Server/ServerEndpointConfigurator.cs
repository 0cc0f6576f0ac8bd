using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Customises the opening handshake of a server endpoint and how its instances are made. Derive from it and
/// name the type in <see cref="ServerEndpointAttribute.Configurator"/>; one configurator instance serves every
/// connection of its endpoint, so overrides must be thread-safe.
/// </summary>
public class ServerEndpointConfigurator
{
    // The definition of the connection being set up on this thread; GetEndpointInstance runs synchronously.
    [ThreadStatic]
    private static AnnotatedEndpointDefinition? t_connecting;

    private static readonly ServerEndpointConfigurator s_containerDefault = new();

    /// <summary>
    /// The container's default configurator (Jakarta's <c>getContainerDefaultConfigurator</c>): an instance of this class
    /// with none of its methods overridden, shared by the application. An override can hand a decision back to the
    /// container, for example <c>GetContainerDefaultConfigurator().GetNegotiatedSubprotocol(supported, requested)</c>;
    /// calling <c>base</c> does the same.
    /// </summary>
    /// <returns>The shared default configurator.</returns>
    public ServerEndpointConfigurator GetContainerDefaultConfigurator() => s_containerDefault;

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
    /// Chooses the extensions of a connection. The default returns the client's requested extensions whose
    /// names the server has installed, in the client's order. Of these the container uses
    /// <c>permessage-deflate</c> (the only extension it implements), negotiating its parameters per RFC 7692.
    /// Both lists are read-only.
    /// </summary>
    /// <param name="installed">
    /// The extensions the endpoint supports: its config's <see cref="ServerEndpointConfig.Extensions"/> with their
    /// parameters, and permessage-deflate when the container's settings enable it for the endpoint.
    /// </param>
    /// <param name="requested">The client's offers from <c>Sec-WebSocket-Extensions</c>, in order.</param>
    /// <returns>The extensions to use.</returns>
    public virtual IReadOnlyList<Extension> GetNegotiatedExtensions(IReadOnlyList<Extension> installed, IReadOnlyList<Extension> requested)
    {
        ArgumentNullException.ThrowIfNull(installed);
        ArgumentNullException.ThrowIfNull(requested);
        var chosen = new List<Extension>();
        foreach (var offer in requested)
        {
            foreach (var supported in installed)
            {
                if (string.Equals(offer.Name, supported.Name, StringComparison.OrdinalIgnoreCase))
                {
                    chosen.Add(offer);
                    break;
                }
            }
        }

        return chosen;
    }

    /// <summary>
    /// Called after the origin check and the subprotocol and extension negotiation, before the 101 response:
    /// inspect the request, add response headers, or put per-connection values into
    /// <paramref name="config"/>'s <see cref="EndpointConfig.UserProperties"/> (a copy made for this connection,
    /// which becomes the session's user properties). The default does nothing. An exception refuses the
    /// handshake with HTTP 500.
    /// </summary>
    /// <param name="config">This connection's view of the endpoint configuration.</param>
    /// <param name="request">The handshake request.</param>
    /// <param name="response">The handshake response headers.</param>
    public virtual void ModifyHandshake(ServerEndpointConfig config, HandshakeRequest request, ServerHandshakeResponse response)
    {
    }

    /// <summary>
    /// Creates the endpoint instance for a new connection; called once per connection. The default creates
    /// a new instance through the generated factory (or the factory a programmatic <see cref="ServerEndpointConfig"/> was given), resolving constructor arguments from
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
        var current = t_connecting;
        var definition = (current is not null && current.EndpointType == endpointType ? current : AnnotatedEndpointRegistry.Find(endpointType))
            ?? throw new InvalidOperationException(
                $"'{endpointType.FullName}' is not a registered endpoint: the source generator registers classes marked [ServerEndpoint].");
        return definition.CreateEndpoint(services);
    }

    /// <summary>Runs <see cref="GetEndpointInstance"/> for a connection, letting the default use the deployed definition (programmatic endpoints are not in the registry).</summary>
    internal object CreateInstance(AnnotatedEndpointDefinition definition, IServiceProvider services)
    {
        var previous = t_connecting;
        t_connecting = definition;
        try
        {
            return GetEndpointInstance(definition.EndpointType, services);
        }
        finally
        {
            t_connecting = previous;
        }
    }
}
