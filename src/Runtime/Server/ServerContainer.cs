using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The server container: it performs the opening handshake (origin check, subprotocol and
/// permessage-deflate negotiation), creates the endpoint instance in a DI scope of its own, hands the
/// upgraded stream to the protocol engine and runs the session until it closes.
/// </summary>
internal sealed partial class ServerContainer : IServerContainer, ISessionHost, IDisposable
{
    private readonly AnnotatedWebSocketsOptions _options;
    private readonly ConnectionAdmission _admission;
    private readonly IServiceScopeFactory _scopeFactory;
    private readonly ServerSessionTracker _tracker;
    private readonly ILogger _logger;
    private readonly WebSocketSessionOptions _sessionOptions;
    private readonly SessionSettings _settings;
    private readonly SessionContext _sessionContext;
    private readonly PerMessageDeflateOptions? _deflateOptions;
    private readonly WebSocketEngineOptions _engineOptions;
    private readonly TimeProvider _clock;
    private static readonly IReadOnlyList<Extension> s_installedDeflate = [new Extension(ExtensionHeader.PerMessageDeflate)];
    // Path shape → the class deployed there, so a class deployed twice at its own path is recognised (§6.4).
    private readonly Dictionary<string, Type> _deployedShapes = new(StringComparer.Ordinal);

    public ServerContainer(
        IOptions<AnnotatedWebSocketsOptions> options,
        IServiceScopeFactory scopeFactory,
        ServerSessionTracker tracker,
        ILoggerFactory loggerFactory,
        TimeProvider? timeProvider = null)
    {
        _options = options.Value;
        _admission = new ConnectionAdmission(_options.MaxConcurrentConnections, _options.MaxConcurrentConnectionsPerEndpoint);
        _scopeFactory = scopeFactory;
        _tracker = tracker;
        _logger = loggerFactory.CreateLogger(LoggerCategories.Server);
        // A copy, so every connection gets the values the container started with.
        _sessionOptions = _options.Sessions.Clone();
        _settings = _sessionOptions.ToSessionSettings();
        var sessionLogger = loggerFactory.CreateLogger(LoggerCategories.Sessions);
        // The clock from DI (a FakeTimeProvider in tests), for every timeout of every session and engine.
        _clock = timeProvider ?? TimeProvider.System;
        _sessionContext = new SessionContext
        {
            Settings = _settings,
            Logger = sessionLogger,
            Heartbeat = new SessionHeartbeat(_clock, sessionLogger),
            Host = this,
        };
        var deflate = _options.PerMessageDeflate;
        _deflateOptions = deflate.Enabled
            ? new PerMessageDeflateOptions
            {
                Enabled = true,
                ServerNoContextTakeover = deflate.ServerNoContextTakeover,
                ClientNoContextTakeover = deflate.ClientNoContextTakeover,
                ClientMaxWindowBits = deflate.ClientMaxWindowBits,
            }
            : null;
        _engineOptions = CreateEngineOptions(null, null, writesReachPeer: true);
    }

    /// <summary>The open sessions of every endpoint.</summary>
    internal ServerSessionTracker Sessions => _tracker;

    /// <summary>The heartbeat that checks every session's timeouts.</summary>
    internal SessionHeartbeat Heartbeat => _sessionContext.Heartbeat;

    /// <inheritdoc />
    ISessionGroup ISessionHost.GroupOf(EngineWebSocketSession session) => _tracker.GetGroup((ServerEndpointConfig)session.Config);

    /// <inheritdoc />
    Task ISessionHost.SessionEndedAsync(EngineWebSocketSession session) =>
        _tracker.ConnectionOf(session) is { } connection ? connection.SessionEndedAsync() : Task.CompletedTask;

    /// <summary>Stops the heartbeat (the host is disposing its services).</summary>
    public void Dispose() => _sessionContext.Heartbeat.Dispose();

    /// <inheritdoc />
    public Task UpgradeHttpToWebSocketAsync(HttpContext context, ServerEndpointConfig config, IReadOnlyDictionary<string, string> pathParameters)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pathParameters);
        var definition = config.Definition ?? AnnotatedEndpointRegistry.Find(config.EndpointType);
        if (definition is null || definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"'{config.EndpointType.FullName}' is not a server endpoint compiled by the source generator; mark it [ServerEndpoint].");
        }

        return AcceptAsync(context, config, definition, pathParameters);
    }

    /// <summary>The routes of endpoints added at run time; MapAnnotatedWebSockets attaches it.</summary>
    internal DynamicServerEndpointDataSource DynamicEndpoints { get; } = new();

    /// <inheritdoc />
    public void AddEndpoint(Type endpointType)
    {
        ArgumentNullException.ThrowIfNull(endpointType);
        var definition = AnnotatedEndpointRegistry.Find(endpointType);
        if (definition is null || definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"'{endpointType.FullName}' is not a server endpoint compiled by the source generator; mark it [ServerEndpoint], or deploy a programmatic endpoint with a ServerEndpointConfig.");
        }

        // The same annotated class deployed twice (mapped, then added; or added twice) is deployed once (§6.4).
        if (UriTemplate.TryParse(definition.Path, out var template, out _) && IsDeployedAt(template.Shape, endpointType))
        {
            return;
        }

        AddEndpoint(ServerEndpointConfig.FromDefinition(definition));
    }

    /// <inheritdoc />
    public void AddEndpoint(ServerEndpointConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var name = config.EndpointType.FullName;
        var definition = config.Definition ?? AnnotatedEndpointRegistry.Find(config.EndpointType);
        if (definition is null || definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"{name}: not a generated server endpoint, and the config has no endpoint factory; mark the class [ServerEndpoint] or use the ServerEndpointConfig constructor that takes a factory.");
        }

        if (!UriTemplate.TryParse(config.Path, out var template, out var pathError))
        {
            throw new DeploymentException($"{name}: {pathError}");
        }

        try
        {
            _ = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(template.Path);
        }
        catch (Microsoft.AspNetCore.Routing.Patterns.RoutePatternException ex)
        {
            throw new DeploymentException($"{name}: {ex.Message}", ex);
        }

        if (!TryReserveShape(template.Shape, config.EndpointType))
        {
            throw new DeploymentException($"{name}: an endpoint with the path '{template.Path}' or an equivalent one is already deployed.");
        }

        var mapped = new MappedServerEndpoint(config, definition, template);
        DynamicEndpoints.Add(mapped, context => HandleMappedAsync(context, mapped));
    }

    /// <summary>Claims a path shape for this application; false when an equivalent path is already deployed.</summary>
    internal bool TryReserveShape(string shape, Type endpointType)
    {
        lock (_deployedShapes)
        {
            return _deployedShapes.TryAdd(shape, endpointType);
        }
    }

    /// <summary>Whether <paramref name="endpointType"/> itself is already deployed at <paramref name="shape"/>.</summary>
    private bool IsDeployedAt(string shape, Type endpointType)
    {
        lock (_deployedShapes)
        {
            return _deployedShapes.TryGetValue(shape, out var deployed) && deployed == endpointType;
        }
    }

    /// <summary>Serves a request routed to a mapped endpoint.</summary>
    internal Task HandleMappedAsync(HttpContext context, MappedServerEndpoint mapped)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value : "/";
        if (!mapped.Template.TryMatch(path, out var pathParameters))
        {
            // The matcher policy already filters these out; this guards a custom pipeline that bypasses it.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return AcceptAsync(context, mapped.Config, mapped.Definition, pathParameters);
    }

    // Not async, nor is anything it calls until the session runs: the task returned is the connection's own
    // (ServerConnection), so no awaiting method stays pending for the life of an idle connection. Only an upgrade
    // that does not complete at once (the 101 waits for the transport) takes the async path.
    private Task AcceptAsync(
        HttpContext context,
        ServerEndpointConfig config,
        AnnotatedEndpointDefinition definition,
        IReadOnlyDictionary<string, string> pathParameters)
    {
        ServerConnection? connection = null;
        try
        {
            if (!ServerHandshake.TryValidate(context, out var kind, out var key, out var failure))
            {
                Log.HandshakeRejected(_logger, context.Request.Path, failure);
                ServerHandshake.WriteFailure(context, failure);
                return Task.CompletedTask;
            }

            // Checked before anything reads the headers further: they would be kept for the whole session.
            if (!ServerHandshake.HeadersWithin(context.Request, _options.MaxHandshakeHeaderBytes))
            {
                Log.HandshakeRejected(_logger, context.Request.Path, HandshakeFailure.HeadersTooLarge);
                ServerHandshake.WriteFailure(context, HandshakeFailure.HeadersTooLarge);
                return Task.CompletedTask;
            }

            var request = context.Request;
            var configurator = config.Configurator;
            var origin = request.Headers.Origin;
            var originValue = origin.Count > 0 ? origin[0] : null;
            var allowedOrigins = _options.EndpointAllowedOrigins.TryGetValue(config.Path, out var perEndpoint) ? perEndpoint : _options.AllowedOrigins;
            if (!OriginPolicy.Allows(context, originValue, allowedOrigins) || !configurator.CheckOrigin(originValue))
            {
                Log.OriginRejected(_logger, context.Request.Path, origin.ToString());
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }

            // Admission is counted before the upgrade, so a full server answers with an HTTP status, not a close.
            if (!_admission.TryAdmit(config.EndpointType, config.Path, out var admitted))
            {
                Log.ConnectionLimitReached(_logger, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            // From here the connection holds the admission; ending it releases everything it holds.
            connection = new ServerConnection(this, admitted);
            return AcceptAdmitted(context, config, definition, pathParameters, kind, key, connection);
        }
        catch (Exception ex)
        {
            // As from an async method: a failure reaches the caller as a faulted task.
            return connection is null ? Task.FromException(ex) : EndFaultedAsync(connection, ex);
        }
    }

    private Task AcceptAdmitted(
        HttpContext context,
        ServerEndpointConfig config,
        AnnotatedEndpointDefinition definition,
        IReadOnlyDictionary<string, string> pathParameters,
        HandshakeKind kind,
        string? key,
        ServerConnection connection)
    {
        var request = context.Request;
        var configurator = config.Configurator;
        var requested = ServerHandshake.SplitList(request.Headers.SecWebSocketProtocol);
        var subprotocol = configurator.GetNegotiatedSubprotocol(config.Subprotocols, requested) ?? string.Empty;
        if (subprotocol.Length > 0 && !requested.Contains(subprotocol, StringComparer.Ordinal))
        {
            // RFC 6455 §4.2.2: the server may only select one of the client's values; anything else fails the client.
            Log.SubprotocolNotRequested(_logger, subprotocol);
            subprotocol = string.Empty;
        }

        var deflateOptions = DeflateOptionsFor(config);
        var (deflate, extensionsHeader, negotiatedExtensions) = NegotiateExtensions(configurator, deflateOptions, request.Headers.SecWebSocketExtensions);

        var connectionConfig = config.ForConnection();
        var info = CreateConnectionInfo(context, pathParameters, subprotocol, negotiatedExtensions);
        var handshakeResponse = new ServerHandshakeResponse();
        try
        {
            configurator.ModifyHandshake(connectionConfig, new HandshakeRequest(context, info, info.BuildRequestParameters()), handshakeResponse);
        }
        catch (Exception ex)
        {
            Log.ModifyHandshakeFailed(_logger, config.EndpointType.FullName, ex);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return connection.SessionEndedAsync();
        }

        var headers = context.Response.Headers;
        foreach (var (name, values) in handshakeResponse.Headers)
        {
            if (!IsProtocolHeader(name) && values is not null)
            {
                headers.Append(name, values.ToArray());
            }
        }

        if (subprotocol.Length > 0)
        {
            headers.SecWebSocketProtocol = subprotocol;
        }

        if (extensionsHeader is not null)
        {
            headers.SecWebSocketExtensions = extensionsHeader;
        }

        ValueTask<Stream> upgrade;
        if (kind == HandshakeKind.Upgrade)
        {
            headers.Upgrade = "websocket";
            headers.SecWebSocketAccept = WebSocketHandshake.ComputeAcceptKey(key!);
            // Sets 101 and Connection: Upgrade, flushes the response and hands over the connection.
            upgrade = new ValueTask<Stream>(context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync());
        }
        else
        {
            // The request body is the WebSocket's incoming stream, so no body size limit applies to it.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = null;
            }

            // Responds 200 and gives the stream of the HTTP/2 stream.
            upgrade = context.Features.GetRequiredFeature<IHttpExtendedConnectFeature>().AcceptAsync();
        }

        var start = new PendingStart(context, config, definition, connectionConfig, info, deflate, deflateOptions);
        return upgrade.IsCompletedSuccessfully
            ? Start(start, upgrade.Result, connection)
            : StartAfterUpgradeAsync(start, upgrade, connection);
    }

    private async Task StartAfterUpgradeAsync(PendingStart start, ValueTask<Stream> upgrade, ServerConnection connection)
    {
        Stream transport;
        try
        {
            transport = await upgrade.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await EndFaultedAsync(connection, ex).ConfigureAwait(false);
            throw;
        }

        await Start(start, transport, connection).ConfigureAwait(false);
    }

    // After the 101: makes the engine, the endpoint and its session, and starts the session, which tells the
    // connection when it is over. Returns the connection's task (what the HTTP server awaits for the request).
    private Task Start(PendingStart start, Stream transport, ServerConnection connection)
    {
        var (context, config, definition, connectionConfig, info, deflate, deflateOptions) = start;
        try
        {
            // A WebSocket lives as long as the peer wants: the request timeout no longer applies (as in Kestrel's WebSocketMiddleware).
            context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();

            var engine = new WebSocketEngine(transport, EngineOptionsFor(deflate, deflateOptions, writesReachPeer: HttpProtocol.IsHttp11(context.Request.Protocol)));
            connection.Engine = engine;
            // The default configurator makes an endpoint whose constructor takes nothing with `new T()`: no scope per
            // connection for it. A custom configurator may resolve services in GetEndpointInstance, so it always gets one.
            var configurator = config.Configurator;
            var defaultConfigurator = configurator.GetType() == typeof(ServerEndpointConfigurator);
            // A custom configurator may hand out a shared instance; only instances made per connection are ours to dispose.
            connection.OwnsInstance = defaultConfigurator;
            AsyncServiceScope? scope = definition.UsesServices || !defaultConfigurator ? _scopeFactory.CreateAsyncScope() : null;
            connection.Scope = scope;

            // Jakarta's order: the endpoint instance is made after the 101, just before OnOpen.
            EndpointDispatcher dispatcher;
            try
            {
                connection.Instance = configurator.CreateInstance(definition, scope?.ServiceProvider ?? EmptyServiceProvider.Instance);
                dispatcher = definition.CreateDispatcher(connection.Instance);
            }
            catch (Exception ex)
            {
                Log.EndpointCreationFailed(_logger, config.EndpointType.FullName, ex);
                return CloseUnstartedAsync(connection);
            }

            var session = new EngineWebSocketSession(_sessionContext, engine, dispatcher, definition, connectionConfig, info);
            connection.Session = session;
            // Through the tracker, so that a shutdown can drain the session and give up on a stuck handler, and so that
            // the session's end reaches this connection (ISessionHost.SessionEndedAsync).
            _tracker.Add(session, connection);
            // Not awaited: the session ends the connection itself (through ISessionHost), and RunAsync never throws.
            _ = session.RunAsync();
            return connection.Task;
        }
        catch (Exception ex)
        {
            return EndFaultedAsync(connection, ex);
        }
    }

    private async Task EndFaultedAsync(ServerConnection connection, Exception error)
    {
        await connection.SessionEndedAsync().ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>
    /// Releases what a connection holds, once its session is over (or was abandoned): the tracker's entry, the
    /// engine, the endpoint instance when it is ours, the DI scope and the admission. Never throws.
    /// </summary>
    internal async Task TearDownAsync(ServerConnection connection)
    {
        try
        {
            if (connection.Session is { } session)
            {
                _tracker.Remove(session);
            }

            if (connection.Engine is { } engine)
            {
                try
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The session is over and its close handler has run; a teardown failure must not reach Kestrel.
                    Log.EngineDisposeFailed(_logger, ex);
                }
            }

            if (connection.OwnsInstance)
            {
                await DisposeEndpointAsync(connection.Instance).ConfigureAwait(false);
            }

            if (connection.Scope is { } connectionScope)
            {
                try
                {
                    await connectionScope.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Log.ScopeDisposeFailed(_logger, ex);
                }
            }
        }
        finally
        {
            _admission.Release(connection.Admitted);
        }
    }

    // Options for the engine: the same object for every HTTP/1.1 connection without permessage-deflate (they do not
    // differ). Kestrel's HTTP/1.1 upgraded stream sends every write; its HTTP/2 stream is flushed after each.
    private WebSocketEngineOptions EngineOptionsFor(PerMessageDeflateParameters? deflate, PerMessageDeflateOptions? deflateOptions, bool writesReachPeer) =>
        deflate is null && writesReachPeer ? _engineOptions : CreateEngineOptions(deflate, deflateOptions, writesReachPeer);

    private WebSocketEngineOptions CreateEngineOptions(PerMessageDeflateParameters? deflate, PerMessageDeflateOptions? deflateOptions, bool writesReachPeer) =>
        _sessionOptions.ToEngineOptions(WebSocketRole.Server, writesReachPeer, _clock, deflate, deflateOptions);

    // The endpoint could not be made after the 101 went out: close with 1011, wait (bounded) for the peer's answer,
    // then end the connection.
    private static async Task CloseUnstartedAsync(ServerConnection connection)
    {
        try
        {
            var engine = connection.Engine!;
            await engine.CloseOutputAsync(CloseStatusCodes.InternalServerError, "The endpoint could not be created.", CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < 16; i++)
            {
                var received = await engine.ReceiveAsync(ReceivePolicy.Partial, CancellationToken.None).ConfigureAwait(false);
                if (received.Kind == WebSocketEventKind.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The connection is gone already.
        }
        finally
        {
            await connection.SessionEndedAsync().ConfigureAwait(false);
        }
    }

    // What the session's start needs once the upgrade is done.
    private readonly record struct PendingStart(
        HttpContext Context,
        ServerEndpointConfig Config,
        AnnotatedEndpointDefinition Definition,
        ServerEndpointConfig ConnectionConfig,
        SessionConnectionInfo Info,
        PerMessageDeflateParameters? Deflate,
        PerMessageDeflateOptions? DeflateOptions);

    private PerMessageDeflateOptions? DeflateOptionsFor(ServerEndpointConfig config)
    {
        var settings = config.PerMessageDeflate
            ?? (_options.EndpointPerMessageDeflate.TryGetValue(config.Path, out var perPath) ? perPath : null);
        if (settings is null)
        {
            return _deflateOptions;
        }

        return settings.Enabled
            ? new PerMessageDeflateOptions
            {
                Enabled = true,
                ServerNoContextTakeover = settings.ServerNoContextTakeover,
                ClientNoContextTakeover = settings.ClientNoContextTakeover,
                ClientMaxWindowBits = settings.ClientMaxWindowBits,
            }
            : null;
    }

    private static (PerMessageDeflateParameters? Deflate, string? Header, IReadOnlyList<Extension> Negotiated) NegotiateExtensions(
        ServerEndpointConfigurator configurator,
        PerMessageDeflateOptions? deflateOptions,
        Microsoft.Extensions.Primitives.StringValues offers)
    {
        var requested = ExtensionHeader.Parse(offers);
        IReadOnlyList<Extension> installed = deflateOptions is null ? [] : s_installedDeflate;
        var chosen = configurator.GetNegotiatedExtensions(installed, requested) ?? [];
        if (deflateOptions is null)
        {
            return (null, null, []);
        }

        var deflateOffers = new List<string>();
        foreach (var extension in chosen)
        {
            if (string.Equals(extension.Name, ExtensionHeader.PerMessageDeflate, StringComparison.OrdinalIgnoreCase))
            {
                deflateOffers.Add(extension.ToString());
            }
        }

        if (deflateOffers.Count > 0
            && PerMessageDeflateNegotiator.TryNegotiate(deflateOffers, deflateOptions, out var deflate, out var header))
        {
            return (deflate, header, [Extension.Parse(header)]);
        }

        return (null, null, []);
    }

    private static bool IsProtocolHeader(string name) =>
        name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals(ServerHandshakeResponse.SecWebSocketAccept, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HandshakeRequest.SecWebSocketProtocol, StringComparison.OrdinalIgnoreCase)
        || name.Equals(HandshakeRequest.SecWebSocketExtensions, StringComparison.OrdinalIgnoreCase);

    private static ServerConnectionInfo CreateConnectionInfo(HttpContext context, IReadOnlyDictionary<string, string> pathParameters, string subprotocol, IReadOnlyList<Extension> extensions)
    {
        var request = context.Request;
        // The list lives as long as the session; most WebSocket requests have no query, so share the empty one.
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> query = [];
        // QueryString first: reading Request.Query makes a query feature that the connection then keeps.
        if (request.QueryString.HasValue && request.Query.Count > 0)
        {
            var parameters = new List<KeyValuePair<string, IReadOnlyList<string>>>(request.Query.Count);
            foreach (var (name, values) in request.Query)
            {
                parameters.Add(new(name, values.Where(static v => v is not null).Select(static v => v!).ToArray()));
            }

            query = parameters;
        }

        // Through the feature: reading HttpContext.User without authentication makes an empty principal per connection.
        var user = context.Features.Get<IHttpAuthenticationFeature>()?.User;
        return new ServerConnectionInfo
        {
            // The URI is built from these on first read (ServerConnectionInfo.BuildRequestUri).
            Host = request.Host,
            PathBase = request.PathBase,
            Path = request.Path,
            Query = request.QueryString,
            QueryString = request.QueryString.HasValue && request.QueryString.Value!.Length > 1 ? request.QueryString.Value[1..] : null,
            IsSecure = request.IsHttps,
            User = user?.Identity?.IsAuthenticated == true ? user : null,
            PathParameters = pathParameters,
            QueryParameters = query,
            NegotiatedSubprotocol = subprotocol,
            NegotiatedExtensions = extensions,
        };
    }

    private async ValueTask DisposeEndpointAsync(object? instance)
    {
        if (await EndpointInstance.TryDisposeAsync(instance).ConfigureAwait(false) is { } failure)
        {
            Log.EndpointDisposeFailed(_logger, instance!.GetType().FullName, failure);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ConnectionLimitReached, Level = LogLevel.Warning, Message = "WebSocket upgrade to {Path} refused with 503: the connection limit is reached.")]
        public static partial void ConnectionLimitReached(ILogger logger, PathString path);

        [LoggerMessage(EventId = LogEvents.HandshakeRejected, Level = LogLevel.Debug, Message = "Request to WebSocket endpoint {Path} is not a valid handshake: {Failure}.")]
        public static partial void HandshakeRejected(ILogger logger, PathString path, HandshakeFailure failure);

        [LoggerMessage(EventId = LogEvents.OriginRejected, Level = LogLevel.Information, Message = "WebSocket handshake to {Path} refused: origin '{Origin}' failed the configurator's check.")]
        public static partial void OriginRejected(ILogger logger, PathString path, string origin);

        [LoggerMessage(EventId = LogEvents.EndpointCreationFailed, Level = LogLevel.Error, Message = "Could not create an instance of WebSocket endpoint {EndpointType}.")]
        public static partial void EndpointCreationFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.EndpointDisposeFailed, Level = LogLevel.Warning, Message = "Disposing WebSocket endpoint {EndpointType} failed.")]
        public static partial void EndpointDisposeFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.EngineDisposeFailed, Level = LogLevel.Warning, Message = "Releasing the connection of a closed WebSocket session failed.")]
        public static partial void EngineDisposeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEvents.ScopeDisposeFailed, Level = LogLevel.Warning, Message = "Disposing the services of a closed WebSocket session failed.")]
        public static partial void ScopeDisposeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEvents.ModifyHandshakeFailed, Level = LogLevel.Error, Message = "The configurator's ModifyHandshake for WebSocket endpoint {EndpointType} threw; the handshake was refused with 500.")]
        public static partial void ModifyHandshakeFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.SubprotocolNotRequested, Level = LogLevel.Warning, Message = "The configurator chose subprotocol '{Subprotocol}', which the client did not request; none is selected.")]
        public static partial void SubprotocolNotRequested(ILogger logger, string subprotocol);
    }
}
