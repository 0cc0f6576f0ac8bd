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
    // Null only on a per-connection copy whose deployed map was empty: most connections never touch their
    // properties, so the (empty) map is made on first access instead of once per connection.
    private ConcurrentDictionary<string, object?>? _userProperties;
    private readonly IReadOnlyList<Type> _encoders;
    private readonly IReadOnlyList<Type> _decoders;

    /// <summary>Creates the configuration of an endpoint.</summary>
    /// <param name="endpointType">The endpoint class.</param>
    /// <param name="path">
    /// The path relative to the application root, starting with <c>/</c>; it may hold <c>{name}</c>
    /// variables that each replace one whole segment. It is validated when the endpoint is deployed.
    /// </param>
    /// <param name="subprotocols">The subprotocols the endpoint supports, in the server's order of preference.</param>
    /// <param name="extensions">
    /// The extensions the endpoint supports, with their parameters: <c>permessage-deflate</c> (whose parameters configure
    /// it for this endpoint) is the only one the container runs; deploying a config that lists another fails.
    /// </param>
    /// <param name="encoders">The encoder types, in declaration order.</param>
    /// <param name="decoders">The decoder types, in declaration order.</param>
    /// <param name="configurator">The handshake configurator; null gives a default <see cref="ServerEndpointConfigurator"/>.</param>
    public ServerEndpointConfig(
        Type endpointType,
        string path,
        IReadOnlyList<string>? subprotocols = null,
        IReadOnlyList<Extension>? extensions = null,
        IReadOnlyList<Type>? encoders = null,
        IReadOnlyList<Type>? decoders = null,
        ServerEndpointConfigurator? configurator = null)
    {
        ArgumentNullException.ThrowIfNull(endpointType);
        ArgumentNullException.ThrowIfNull(path);
        EndpointType = endpointType;
        Path = path;
        // Copies, read-only: the configurator gets these lists, and the caller's own may change later.
        Subprotocols = subprotocols is null ? [] : subprotocols.ToArray().AsReadOnly();
        Extensions = extensions is null ? [] : extensions.ToArray().AsReadOnly();
        ExtensionDeflate = ConfiguredExtensions.DeflateSettings(Extensions);
        _encoders = encoders is null ? [] : encoders.ToArray().AsReadOnly();
        _decoders = decoders is null ? [] : decoders.ToArray().AsReadOnly();
        Configurator = configurator ?? new ServerEndpointConfigurator();
        _userProperties = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
    }

    /// <summary>
    /// Creates the configuration of a programmatic endpoint: a subclass of <see cref="Annotated.WebSockets.Endpoint"/>
    /// whose instances <paramref name="endpointFactory"/> makes, one per connection, from the connection's services.
    /// Deploy it with <see cref="IServerContainer.AddEndpoint(ServerEndpointConfig)"/> or use it with
    /// <see cref="IServerContainer.UpgradeHttpToWebSocketAsync"/>. Its decoders and encoders go in
    /// <see cref="EndpointConfig.Coders"/> (<c>new ServerEndpointConfig(...) { Coders = new EndpointCoders().AddDecoder&lt;OrderJson, Order&gt;() }</c>).
    /// </summary>
    /// <param name="endpointType">The endpoint class; it must derive from <see cref="Annotated.WebSockets.Endpoint"/>.</param>
    /// <param name="path">The path or URI template, as for annotated endpoints.</param>
    /// <param name="endpointFactory">Makes an instance for a connection (called by the configurator's default <see cref="ServerEndpointConfigurator.GetEndpointInstance"/>).</param>
    /// <param name="subprotocols">The subprotocols the endpoint supports, in the server's order of preference.</param>
    /// <param name="extensions">The extensions the endpoint supports, with their parameters (see the other constructor).</param>
    /// <param name="configurator">The handshake configurator; null gives a default <see cref="ServerEndpointConfigurator"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="endpointType"/> does not derive from <see cref="Annotated.WebSockets.Endpoint"/>.</exception>
    public ServerEndpointConfig(
        Type endpointType,
        string path,
        Func<IServiceProvider, Endpoint> endpointFactory,
        IReadOnlyList<string>? subprotocols = null,
        IReadOnlyList<Extension>? extensions = null,
        ServerEndpointConfigurator? configurator = null)
        : this(endpointType, path, subprotocols, extensions, encoders: null, decoders: null, configurator)
    {
        ArgumentNullException.ThrowIfNull(endpointFactory);
        if (!typeof(Endpoint).IsAssignableFrom(endpointType))
        {
            throw new ArgumentException($"'{endpointType.FullName}' does not derive from {typeof(Endpoint).FullName}.", nameof(endpointType));
        }

        Definition = ProgrammaticDispatcher.CreateDefinition(endpointType, path, endpointFactory);
    }

    // A per-connection view: everything shared except a shallow copy of the user properties.
    private ServerEndpointConfig(ServerEndpointConfig deployed)
    {
        EndpointType = deployed.EndpointType;
        Path = deployed.Path;
        Subprotocols = deployed.Subprotocols;
        Extensions = deployed.Extensions;
        ExtensionDeflate = deployed.ExtensionDeflate;
        RequireSecureConnection = deployed.RequireSecureConnection;
        _encoders = deployed._encoders;
        _decoders = deployed._decoders;
        Coders = deployed.Coders;
        Configurator = deployed.Configurator;
        PerMessageDeflate = deployed.PerMessageDeflate;
        Definition = deployed.Definition;
        if (deployed._userProperties is { IsEmpty: false } properties)
        {
            _userProperties = new ConcurrentDictionary<string, object?>(properties, StringComparer.Ordinal);
        }
    }

    /// <summary>The endpoint class.</summary>
    public Type EndpointType { get; }

    /// <summary>
    /// This endpoint's permessage-deflate settings; null (the default) uses the <c>permessage-deflate</c> entry of
    /// <see cref="Extensions"/> when there is one, else the per-path entry of
    /// <see cref="AnnotatedWebSocketsOptions.EndpointPerMessageDeflate"/>, else the container's
    /// <see cref="AnnotatedWebSocketsOptions.PerMessageDeflate"/>.
    /// </summary>
    public PerMessageDeflateSettings? PerMessageDeflate { get; init; }

    /// <summary>
    /// Whether the endpoint accepts only handshakes over TLS (<c>wss</c>; Jakarta's transport guarantee CONFIDENTIAL): a
    /// plain <c>ws</c> handshake to it is refused with HTTP 403 before any upgrade. A config made for a generated endpoint
    /// takes <see cref="ServerEndpointAttribute.RequireSecureConnection"/>. Default: false.
    /// </summary>
    /// <remarks>
    /// "Over TLS" is <c>HttpRequest.IsHttps</c>: behind a proxy that ends TLS, use ASP.NET Core's forwarded headers
    /// middleware so the request's scheme is the client's.
    /// </remarks>
    public bool RequireSecureConnection { get; init; }

    /// <summary>The path or URI template the endpoint is deployed at.</summary>
    public string Path { get; }

    /// <summary>The subprotocols the endpoint supports, in the server's order of preference.</summary>
    public IReadOnlyList<string> Subprotocols { get; }

    /// <summary>
    /// The extensions the endpoint supports, with their parameters, in the order given (read-only). With the
    /// permessage-deflate the container settings enable, they are the installed list that
    /// <see cref="ServerEndpointConfigurator.GetNegotiatedExtensions"/> receives.
    /// </summary>
    public IReadOnlyList<Extension> Extensions { get; }

    /// <summary>The permessage-deflate settings the <see cref="Extensions"/> entry describes; null when none is listed.</summary>
    internal PerMessageDeflateSettings? ExtensionDeflate { get; }

    /// <summary>The configurator that checks origins, negotiates the subprotocol and creates endpoint instances.</summary>
    public ServerEndpointConfigurator Configurator { get; }

    /// <inheritdoc />
    /// <remarks>The types of <see cref="EndpointConfig.Coders"/>' encoders when it has any.</remarks>
    public override IReadOnlyList<Type> Encoders => Coders is { IsEmpty: false } coders ? coders.Encoders : _encoders;

    /// <inheritdoc />
    /// <remarks>The types of <see cref="EndpointConfig.Coders"/>' decoders when it has any.</remarks>
    public override IReadOnlyList<Type> Decoders => Coders is { IsEmpty: false } coders ? coders.Decoders : _decoders;

    /// <inheritdoc />
    /// <remarks>
    /// Each connection gets its own shallow copy, made before <see cref="ServerEndpointConfigurator.ModifyHandshake"/>;
    /// what ModifyHandshake puts into it becomes that session's user properties, and the next connection starts
    /// from this map again.
    /// </remarks>
    public override IDictionary<string, object?> UserProperties => _userProperties ?? CreateUserProperties();

    /// <summary>Whether the user properties hold any entry, without creating the map of a per-connection copy.</summary>
    internal override bool MayHaveUserProperties => _userProperties is { IsEmpty: false };

    /// <inheritdoc />
    internal override string DeployedPath => Path;

    /// <summary>The generated description of the endpoint class, when the config was made from one.</summary>
    internal AnnotatedEndpointDefinition? Definition { get; init; }

    /// <summary>A copy for one connection: its user properties start as a shallow copy of this one's.</summary>
    internal ServerEndpointConfig ForConnection() => new(this);

    private ConcurrentDictionary<string, object?> CreateUserProperties()
    {
        var created = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
        return Interlocked.CompareExchange(ref _userProperties, created, null) ?? created;
    }

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
            RequireSecureConnection = definition.RequireSecureConnection,
        };
    }
}
