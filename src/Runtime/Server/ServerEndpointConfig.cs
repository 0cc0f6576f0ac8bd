using System.Collections.Concurrent;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Server;

/// <summary>
/// How a server endpoint is deployed: its class, its path or URI template, the subprotocols and extensions
/// it supports, its coders, its configurator and the user properties every session starts with.
/// <c>MapAnnotatedWebSockets()</c> creates one per <see cref="ServerEndpointAttribute"/> class.
/// </summary>
public sealed class ServerEndpointConfig : EndpointConfig
{
    /// <summary>Creates the configuration of an endpoint.</summary>
    /// <param name="endpointType">The endpoint class.</param>
    /// <param name="path">
    /// The path relative to the application root, starting with <c>/</c>; it may hold <c>{name}</c>
    /// variables that each replace one whole segment. It is validated when the endpoint is deployed.
    /// </param>
    /// <param name="subprotocols">The subprotocols the endpoint supports, in the server's order of preference.</param>
    /// <param name="extensions">The names of the extensions the endpoint supports.</param>
    /// <param name="encoders">The encoder types, in declaration order.</param>
    /// <param name="decoders">The decoder types, in declaration order.</param>
    /// <param name="configurator">The handshake configurator; null gives a default <see cref="ServerEndpointConfigurator"/>.</param>
    public ServerEndpointConfig(
        Type endpointType,
        string path,
        IReadOnlyList<string>? subprotocols = null,
        IReadOnlyList<string>? extensions = null,
        IReadOnlyList<Type>? encoders = null,
        IReadOnlyList<Type>? decoders = null,
        ServerEndpointConfigurator? configurator = null)
    {
        ArgumentNullException.ThrowIfNull(endpointType);
        ArgumentNullException.ThrowIfNull(path);
        EndpointType = endpointType;
        Path = path;
        Subprotocols = subprotocols ?? [];
        Extensions = extensions ?? [];
        Encoders = encoders ?? [];
        Decoders = decoders ?? [];
        Configurator = configurator ?? new ServerEndpointConfigurator();
    }

    /// <summary>The endpoint class.</summary>
    public Type EndpointType { get; }

    /// <summary>The path or URI template the endpoint is deployed at.</summary>
    public string Path { get; }

    /// <summary>The subprotocols the endpoint supports, in the server's order of preference.</summary>
    public IReadOnlyList<string> Subprotocols { get; }

    /// <summary>The names of the extensions the endpoint supports.</summary>
    public IReadOnlyList<string> Extensions { get; }

    /// <summary>The configurator that checks origins, negotiates the subprotocol and creates endpoint instances.</summary>
    public ServerEndpointConfigurator Configurator { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Type> Encoders { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Type> Decoders { get; }

    /// <inheritdoc />
    public override IDictionary<string, object?> UserProperties { get; } = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>The generated description of the endpoint class, when the config was made from one.</summary>
    internal AnnotatedEndpointDefinition? Definition { get; init; }

    /// <summary>Creates the configuration of a generated endpoint from its attribute's values.</summary>
    internal static ServerEndpointConfig FromDefinition(AnnotatedEndpointDefinition definition)
    {
        ServerEndpointConfigurator? configurator = null;
        if (definition.CreateConfigurator is { } create)
        {
            configurator = create() as ServerEndpointConfigurator
                ?? throw new DeploymentException(
                    $"The configurator of endpoint '{definition.EndpointType.FullName}' does not derive from {nameof(ServerEndpointConfigurator)}.");
        }

        return new ServerEndpointConfig(
            definition.EndpointType,
            definition.Path ?? string.Empty,
            definition.Subprotocols,
            extensions: null,
            definition.Encoders,
            definition.Decoders,
            configurator)
        {
            Definition = definition,
        };
    }
}
