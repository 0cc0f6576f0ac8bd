namespace Annotated.WebSockets;

/// <summary>
/// The configuration an endpoint was deployed with: its coders and a mutable map of user properties.
/// Server endpoints receive a <c>ServerEndpointConfig</c>, clients a <c>ClientEndpointConfig</c>.
/// </summary>
public abstract class EndpointConfig
{
    /// <summary>The encoder types, in declaration order.</summary>
    public abstract IReadOnlyList<Type> Encoders { get; }

    /// <summary>The decoder types, in declaration order.</summary>
    public abstract IReadOnlyList<Type> Decoders { get; }

    /// <summary>
    /// The decoders and encoders of a programmatic endpoint (a subclass of <see cref="Endpoint"/>), each made per session
    /// by its factory; null (the default) when it has none. An annotated endpoint's coders are its attribute's, compiled
    /// by the source generator: a configuration of an annotated endpoint with coders here is not deployed.
    /// </summary>
    public EndpointCoders? Coders { get; init; }

    /// <summary>
    /// User properties shared by every session of this endpoint. Each session starts with a shallow copy.
    /// </summary>
    public abstract IDictionary<string, object?> UserProperties { get; }

    /// <summary>
    /// False when <see cref="UserProperties"/> is known to be empty without reading it (reading it may make the map),
    /// so that a session copies nothing then.
    /// </summary>
    internal virtual bool MayHaveUserProperties => true;

    /// <summary>The path template a server endpoint is deployed at; empty for a client endpoint.</summary>
    internal virtual string DeployedPath => string.Empty;
}
