using System.Diagnostics.Metrics;
using System.Diagnostics;
using System.Collections.Concurrent;
using System.Net;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annotated.WebSockets.Client;

/// <summary>
/// Connects client endpoints to WebSocket servers (Jakarta WebSocket's client <c>WebSocketContainer</c>). Get one
/// from <see cref="Create()"/>, or from dependency injection after
/// <see cref="WebSocketContainerServiceCollectionExtensions.AddWebSocketContainer"/>. It is thread-safe: one
/// container can open any number of sessions, each with its own connection.
/// </summary>
/// <remarks>
/// <para>
/// The opening handshake goes through <see cref="SocketsHttpHandler"/> (HTTP/1.1 upgrade, or HTTP/2 extended
/// CONNECT when <see cref="ClientEndpointConfig.HttpVersion"/> asks for it), so TLS, proxies and connection
/// timeouts are .NET's own. The frames are then handled by this library's RFC 6455 engine in the client role:
/// every frame sent is masked with a fresh random key, and a masked frame from the server fails the connection.
/// </para>
/// <para>
/// Errors: an endpoint that is not a <c>[ClientEndpoint]</c> compiled by the source generator (nor an
/// <see cref="Endpoint"/>), a handshake the server refuses (a 404 or 403: the message has the status code) or
/// answers wrongly (a subprotocol or extension that was not offered, a bad <c>Sec-WebSocket-Accept</c>) throw
/// <see cref="DeploymentException"/>; a connection that cannot be made or breaks throws
/// <see cref="HttpRequestException"/> or <see cref="IOException"/>; a handshake slower than
/// <see cref="ConnectTimeout"/> throws <see cref="TimeoutException"/>.
/// </para>
/// <para>
/// Disposing the container closes its open sessions with 1001 (going away).
/// </para>
/// </remarks>
public sealed partial class WebSocketContainer : IWebSocketContainer, IAsyncDisposable, ISessionHost
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly ILogger _sessionLogger;
    private readonly TimeProvider _clock;
    private readonly SessionHeartbeat _heartbeat;
    private readonly WebSocketInstruments _instruments;
    private readonly ConcurrentDictionary<Type, ClientSessionGroup> _groups = new();
    private readonly ConcurrentDictionary<EngineWebSocketSession, Task> _running = new();
    private TimeSpan _connectTimeout = TimeSpan.FromSeconds(30);
    private int _disposed;

    private WebSocketContainer(IServiceProvider services, ILoggerFactory? loggerFactory, TimeProvider? clock)
    {
        _services = services;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger(LoggerCategories.Client);
        _sessionLogger = loggerFactory.CreateLogger(LoggerCategories.Sessions);
        _clock = clock ?? TimeProvider.System;
        _heartbeat = new SessionHeartbeat(_clock, _sessionLogger);
        _instruments = new WebSocketInstruments(services.GetService<IMeterFactory>(), server: false);
        Groups = new WebSocketGroups(GroupOptions, services.GetService<IWebSocketUserIdProvider>() ?? new NameIdentifierUserIdProvider());
    }

    /// <summary>
    /// The clock of every timeout of this container and its sessions (connect, idle, keep-alive, send queue, close,
    /// message receive): the services' <see cref="System.TimeProvider"/> when the container was created from services
    /// that have one, <see cref="TimeProvider.System"/> otherwise. A test passes a fake one to
    /// <see cref="Create(TimeProvider)"/> and advances it instead of waiting.
    /// </summary>
    public TimeProvider TimeProvider => _clock;

    /// <summary>
    /// The extensions this container can run (Jakarta's <c>getInstalledExtensions</c>): <c>permessage-deflate</c>. A
    /// <see cref="ClientEndpointConfig.Extensions"/> entry naming another one fails the connect with a
    /// <see cref="DeploymentException"/>.
    /// </summary>
    public IReadOnlyList<Extension> InstalledExtensions => ExtensionConfiguration.Runnable;

    /// <summary>The groups of this container's sessions: broadcasts to several client sessions, encoded once.</summary>
    public WebSocketGroups Groups { get; }

    /// <summary>The limits and slow-member policy of <see cref="Groups"/>.</summary>
    public WebSocketGroupOptions GroupOptions { get; } = new();

    /// <summary>
    /// The limits and timeouts every session this container opens starts with (message and frame sizes, idle and
    /// close timeouts, the send queue): the same type as the server's <c>AnnotatedWebSocketsOptions.Sessions</c>.
    /// A change applies to sessions opened afterwards.
    /// </summary>
    /// <remarks>
    /// Named <c>SessionOptions</c> rather than <c>Sessions</c> because on a container that name would read as its
    /// open sessions.
    /// </remarks>
    public WebSocketSessionOptions SessionOptions { get; } = new();

    /// <summary>
    /// Jakarta's <c>defaultMaxSessionIdleTimeout</c>: the same value as <see cref="SessionOptions"/>'s
    /// <see cref="WebSocketSessionOptions.MaxIdleTimeout"/>, which documents it (default 5 minutes;
    /// <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/>: never).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan DefaultMaxSessionIdleTimeout
    {
        get => SessionOptions.MaxIdleTimeout;
        set => SessionOptions.MaxIdleTimeout = value;
    }

    /// <summary>
    /// Jakarta's <c>defaultMaxTextMessageBufferSize</c>: the same value as <see cref="SessionOptions"/>'s
    /// <see cref="WebSocketSessionOptions.MaxTextMessageBufferSize"/>, which documents it (default 1 MiB).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int DefaultMaxTextMessageBufferSize
    {
        get => SessionOptions.MaxTextMessageBufferSize;
        set => SessionOptions.MaxTextMessageBufferSize = value;
    }

    /// <summary>
    /// Jakarta's <c>defaultMaxBinaryMessageBufferSize</c>: the same value as <see cref="SessionOptions"/>'s
    /// <see cref="WebSocketSessionOptions.MaxBinaryMessageBufferSize"/>, which documents it (default 1 MiB).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int DefaultMaxBinaryMessageBufferSize
    {
        get => SessionOptions.MaxBinaryMessageBufferSize;
        set => SessionOptions.MaxBinaryMessageBufferSize = value;
    }

    /// <summary>
    /// Jakarta's <c>defaultAsyncSendTimeout</c>: the same value as <see cref="SessionOptions"/>'s
    /// <see cref="WebSocketSessionOptions.AsyncSendTimeout"/>, which documents it (default: no limit).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or too large.</exception>
    public TimeSpan DefaultAsyncSendTimeout
    {
        get => SessionOptions.AsyncSendTimeout;
        set => SessionOptions.AsyncSendTimeout = value;
    }

    /// <summary>
    /// How long the whole opening handshake (TCP connect, TLS, HTTP request and response) may take before
    /// <see cref="ConnectToServerAsync(object, Uri, CancellationToken)"/> throws <see cref="TimeoutException"/>.
    /// The default is 30 seconds; <see cref="Timeout.InfiniteTimeSpan"/> for no limit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>, or is too large.</exception>
    public TimeSpan ConnectTimeout
    {
        get => _connectTimeout;
        set => _connectTimeout = SettingGuard.PositiveOrInfinite(value, "connect timeout");
    }

    /// <summary>
    /// Creates a container with no services: an endpoint connected by type
    /// (<see cref="ConnectToServerAsync{T}(Uri, CancellationToken)"/>) must then have a parameterless constructor.
    /// </summary>
    /// <returns>A new container.</returns>
    public static WebSocketContainer Create() => new(EmptyServiceProvider.Instance, null, null);

    /// <summary>Creates a container with no services whose timeouts run on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock of every timeout (a fake one in tests).</param>
    /// <returns>A new container.</returns>
    public static WebSocketContainer Create(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new(EmptyServiceProvider.Instance, null, timeProvider);
    }

    /// <summary>
    /// Creates a container that builds endpoints connected by type with <paramref name="services"/> (constructor
    /// injection), logs through its <see cref="ILoggerFactory"/> and times out on its <see cref="System.TimeProvider"/>,
    /// if it has them.
    /// </summary>
    /// <param name="services">The services for endpoint constructors and logging.</param>
    /// <returns>A new container.</returns>
    public static WebSocketContainer Create(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return new(services, services.GetService<ILoggerFactory>(), services.GetService<TimeProvider>());
    }

    /// <summary>
    /// Connects an endpoint instance: a <c>[ClientEndpoint]</c> class (configured by its attribute) or an
    /// <see cref="Endpoint"/> (with the default configuration). Returns once the endpoint's OnOpen has run.
    /// </summary>
    /// <param name="endpoint">The endpoint instance; it serves this one connection.</param>
    /// <param name="uri">The server's <c>ws://</c> or <c>wss://</c> address.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="DeploymentException">The endpoint is not a client endpoint, or the server refused or botched the handshake.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">The handshake took longer than <see cref="ConnectTimeout"/>.</exception>
    public Task<WebSocketSession> ConnectToServerAsync(object endpoint, Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(uri);
        return ConnectCoreAsync(endpoint, config: null, uri, ownsEndpoint: false, cancellationToken);
    }

    /// <summary>
    /// Connects an endpoint instance with an explicit configuration. For an <see cref="Endpoint"/> the
    /// configuration is used as it is; for a <c>[ClientEndpoint]</c> class the attribute's subprotocols, coders and
    /// configurator apply where <paramref name="config"/> sets none, and everything else (extensions, TLS, proxy,
    /// HTTP version, user properties) comes from <paramref name="config"/>. Returns once OnOpen has run.
    /// </summary>
    /// <param name="endpoint">The endpoint instance; it serves this one connection.</param>
    /// <param name="config">How to connect.</param>
    /// <param name="uri">The server's <c>ws://</c> or <c>wss://</c> address.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="DeploymentException">The endpoint is not a client endpoint, or the server refused or botched the handshake.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached.</exception>
    /// <exception cref="TimeoutException">The handshake took longer than <see cref="ConnectTimeout"/>.</exception>
    public Task<WebSocketSession> ConnectToServerAsync(object endpoint, ClientEndpointConfig config, Uri uri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(uri);
        return ConnectCoreAsync(endpoint, config, uri, ownsEndpoint: false, cancellationToken);
    }

    /// <summary>
    /// Connects a new instance of the <c>[ClientEndpoint]</c> class <typeparamref name="T"/>, created by the
    /// generated factory with this container's services. The container disposes the instance when the session ends.
    /// </summary>
    /// <typeparam name="T">The annotated client endpoint class.</typeparam>
    /// <param name="uri">The server's <c>ws://</c> or <c>wss://</c> address.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="DeploymentException">
    /// <typeparamref name="T"/> is not a generated client endpoint or cannot be created, or the handshake failed.
    /// </exception>
    public Task<WebSocketSession> ConnectToServerAsync<T>(Uri uri, CancellationToken cancellationToken = default)
        where T : class =>
        ConnectToServerAsync<T>(config: null, uri, cancellationToken);

    /// <summary>
    /// Connects a new instance of the <c>[ClientEndpoint]</c> class <typeparamref name="T"/> with an explicit
    /// configuration (merged with the attribute as for <see cref="ConnectToServerAsync(object, ClientEndpointConfig, Uri, CancellationToken)"/>).
    /// </summary>
    /// <typeparam name="T">The annotated client endpoint class.</typeparam>
    /// <param name="config">How to connect; null for the attribute's settings alone.</param>
    /// <param name="uri">The server's <c>ws://</c> or <c>wss://</c> address.</param>
    /// <param name="cancellationToken">Cancels the handshake.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="DeploymentException">
    /// <typeparamref name="T"/> is not a generated client endpoint or cannot be created, or the handshake failed.
    /// </exception>
    public async Task<WebSocketSession> ConnectToServerAsync<T>(ClientEndpointConfig? config, Uri uri, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(uri);
        var definition = FindClientDefinition(typeof(T));
        object endpoint;
        try
        {
            endpoint = definition.CreateEndpoint(_services);
        }
        catch (Exception ex)
        {
            throw new DeploymentException($"The client endpoint '{typeof(T).FullName}' could not be created: {ex.Message}", ex);
        }

        try
        {
            return await ConnectCoreAsync(endpoint, config, uri, ownsEndpoint: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DisposeEndpointAsync(endpoint).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Closes every open session of this container with 1001 (going away) and waits, boundedly, until they have ended.</summary>
    /// <returns>A task that completes when the sessions have ended or the close timeout has passed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        var reason = new CloseReason(CloseCode.GoingAway, "The client is shutting down.");
        var sessions = _running.Keys.ToArray();
        var closing = Task.WhenAll(sessions.Select(session => session.CloseAsync(reason)));
        var runs = Task.WhenAll(_running.Values.ToArray());
        try
        {
            await Task.WhenAll(closing, runs).WaitAsync(SessionOptions.CloseTimeout * 2, _clock).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.DisposeTimedOut(_logger, sessions.Length);
        }
        finally
        {
            _heartbeat.Dispose();
            _instruments.Dispose();
        }
    }

    private Task<WebSocketSession> ConnectCoreAsync(object endpoint, ClientEndpointConfig? config, Uri uri, bool ownsEndpoint, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!uri.IsAbsoluteUri || !(uri.Scheme.Equals("ws", StringComparison.OrdinalIgnoreCase) || uri.Scheme.Equals("wss", StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"'{uri}' is not a WebSocket address: it must be absolute, with the scheme ws or wss.", nameof(uri));
        }

        AnnotatedEndpointDefinition definition;
        ClientEndpointConfig effective;
        if (endpoint is Endpoint programmatic)
        {
            definition = ProgrammaticDispatcher.CreateClientDefinition(programmatic, _services);
            effective = config ?? ClientEndpointConfig.CreateBuilder().Build();
        }
        else
        {
            definition = FindClientDefinition(endpoint.GetType());
            effective = ClientEndpointConfig.ForAnnotated(definition.Subprotocols, definition.Decoders, definition.Encoders, CreateConfigurator(definition), config);
        }

        // The coders of a programmatic endpoint's configuration are made once before the handshake, to prove they can be.
        if (config is not null && CoderDeployment.Check(config, definition, _services, $"the ClientEndpointConfig of '{endpoint.GetType().FullName}'") is [var problem, ..])
        {
            throw new DeploymentException(problem);
        }

        return OpenAsync(endpoint, definition, effective, uri, ownsEndpoint, cancellationToken);
    }

    private async Task<WebSocketSession> OpenAsync(
        object endpoint,
        AnnotatedEndpointDefinition definition,
        ClientEndpointConfig config,
        Uri uri,
        bool ownsEndpoint,
        CancellationToken cancellationToken)
    {
        var deflateOffer = ClientExtensionOffer.DeflateOffer(config, definition.EndpointType) is { } offer
            ? new PerMessageDeflateOptions
            {
                Enabled = true,
                ServerNoContextTakeover = offer.ServerNoContextTakeover,
                ClientNoContextTakeover = offer.ClientNoContextTakeover,
                ServerMaxWindowBits = offer.ServerMaxWindowBits,
                CompressionThreshold = offer.CompressionThreshold,
            }
            : null;

        var headers = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
        if (config.Subprotocols.Count > 0)
        {
            headers[ClientHandshake.SecWebSocketProtocol] = [.. config.Subprotocols];
        }

        if (deflateOffer is not null)
        {
            headers[ClientHandshake.SecWebSocketExtensions] = [PerMessageDeflateNegotiator.CreateOffer(deflateOffer)];
        }

        try
        {
            config.Configurator.BeforeRequest(headers);
        }
        catch (Exception ex)
        {
            throw new DeploymentException($"The client configurator's BeforeRequest failed for {uri}: {ex.Message}", ex);
        }

        var offeredSubprotocols = ClientHandshake.OfferedValues(headers, ClientHandshake.SecWebSocketProtocol);
        var deflateOffered = deflateOffer is not null
            && ClientHandshake.OfferedValues(headers, ClientHandshake.SecWebSocketExtensions)
                .Exists(static value => value.StartsWith("permessage-deflate", StringComparison.OrdinalIgnoreCase));

        // The connect's span carries traceparent to the server, so one trace spans the client and the server's upgrade.
        var started = _clock.GetTimestamp();
        using var connectSpan = StartConnectSpan(uri, headers);
        var key = WebSocketHandshake.CreateClientKey();
        // A handler given by the configuration (an in-memory transport, a shared handler) is the caller's to dispose.
        var invoker = config.HttpMessageHandler is { } given
            ? new HttpMessageInvoker(given, disposeHandler: false)
            : new HttpMessageInvoker(CreateHandler(config), disposeHandler: true);
        HttpResponseMessage? response = null;
        Stream? stream = null;
        try
        {
            var deadline = new CancellationTokenSource(_connectTimeout, _clock);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                response = await ClientHandshake.SendAsync(invoker, uri, config, headers, key, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The WebSocket handshake to {uri} did not complete within {_connectTimeout}.", ex);
            }
            finally
            {
                // The handshake is over: the timer must not fire later, since an HTTP/2 stream stays tied to the
                // request's token until this linked source is disposed (which unlinks it from the caller's token).
                deadline.Dispose();
            }

            try
            {
                config.Configurator.AfterResponse(ClientHandshake.ToHandshakeResponse(response));
            }
            catch (Exception ex)
            {
                throw new DeploymentException($"The client configurator's AfterResponse failed for {uri}: {ex.Message}", ex);
            }

            var outcome = ClientHandshake.Validate(response, uri, key, offeredSubprotocols, deflateOffered ? deflateOffer : null);
            stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (!stream.CanWrite)
            {
                throw new IOException($"The connection to {uri} cannot be written to after the handshake; this HTTP stack does not support WebSockets here.");
            }

            Connected(uri, started, connectSpan, error: null);
            return await StartSessionAsync(endpoint, definition, config, uri, outcome, stream, deflateOffer, response, invoker, ownsEndpoint, connectSpan?.Context ?? default).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Connected(uri, started, connectSpan, ex);
            Log.ConnectFailed(_logger, uri, ex);
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            response?.Dispose();
            invoker.Dispose();
            throw;
        }
    }

    private Activity? StartConnectSpan(Uri uri, Dictionary<string, IList<string>> headers)
    {
        var span = _instruments.ActivitySource.StartActivity("Annotated.WebSockets.Client.Connect", ActivityKind.Client);
        if (span is null)
        {
            return null;
        }

        span.DisplayName = $"CONNECT {uri.Scheme}://{uri.Authority}{uri.AbsolutePath}";
        span.SetTag(TelemetryTags.ServerAddress, uri.Host);
        span.SetTag(TelemetryTags.ServerPort, uri.Port);
        if (!headers.ContainsKey("traceparent"))
        {
            DistributedContextPropagator.Current.Inject(span, headers, static (carrier, name, value) =>
            {
                if (carrier is Dictionary<string, IList<string>> request && value is not null)
                {
                    request[name] = [value];
                }
            });
        }

        return span;
    }

    // The connect's duration (TCP, TLS, handshake) and the end of its span, with a closed-list error type on failure.
    private void Connected(Uri uri, long started, Activity? span, Exception? error)
    {
        var errorType = error switch
        {
            null => null,
            TimeoutException => "timeout",
            OperationCanceledException => "canceled",
            DeploymentException => "handshake_failed",
            HttpRequestException or IOException => "connection_failed",
            _ => "exception",
        };
        if (_instruments.ConnectDuration!.Enabled)
        {
            var tags = new TagList { { TelemetryTags.ServerAddress, uri.Host }, { TelemetryTags.ServerPort, uri.Port } };
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            _instruments.ConnectDuration.Record(_clock.GetElapsedTime(started).TotalSeconds, tags);
        }

        if (span is not null && error is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, error.Message);
            span.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
        }
    }

    private async Task<WebSocketSession> StartSessionAsync(
        object endpoint,
        AnnotatedEndpointDefinition definition,
        ClientEndpointConfig config,
        Uri uri,
        HandshakeOutcome outcome,
        Stream stream,
        PerMessageDeflateOptions? deflateOffer,
        HttpResponseMessage response,
        HttpMessageInvoker invoker,
        bool ownsEndpoint,
        ActivityContext connectContext)
    {
        var options = SessionOptions;
        var engine = new WebSocketEngine(
            stream,
            options.ToEngineOptions(
                WebSocketRole.Client,
                writesReachPeer: response.Version.Major == 1,
                _clock,
                outcome.Deflate,
                deflateOffer,
                endpointMessageLimit: Math.Max(definition.MaxTextMessageSize, definition.MaxBinaryMessageSize)));
        var settings = options.ToSessionSettings();

        var info = new SessionConnectionInfo
        {
            RequestUri = uri,
            QueryString = uri.Query.Length > 1 ? uri.Query[1..] : null,
            IsSecure = ClientHandshake.IsSecure(uri),
            QueryParameters = ParseQuery(uri.Query),
            NegotiatedSubprotocol = outcome.Subprotocol,
            NegotiatedExtensions = outcome.Extensions,
            UpgradeContext = connectContext,
        };

        var dispatcher = new OpenNotifyingDispatcher(definition.CreateDispatcher(endpoint));
        // Per connection: the settings are the container's at the time of the connect.
        var context = new SessionContext { Settings = settings, Logger = _sessionLogger, Heartbeat = _heartbeat, Host = this, Container = this, Instruments = _instruments };
        var session = new EngineWebSocketSession(context, engine, dispatcher, definition, config, info);

        // Registered before it runs, so a container disposed meanwhile still closes it.
        _running[session] = Task.CompletedTask;
        var run = Task.Run(() => RunSessionAsync(session, engine, response, invoker, endpoint, ownsEndpoint));
        _running.TryUpdate(session, run, Task.CompletedTask);
        await dispatcher.Opened.ConfigureAwait(false);
        return session;
    }

    private async Task RunSessionAsync(
        EngineWebSocketSession session,
        WebSocketEngine engine,
        HttpResponseMessage response,
        HttpMessageInvoker invoker,
        object endpoint,
        bool ownsEndpoint)
    {
        try
        {
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The session is over and its close handler has run; a teardown failure must not go unobserved.
                Log.TeardownFailed(_logger, ex);
            }

            response.Dispose();
            invoker.Dispose();
            if (ownsEndpoint)
            {
                await DisposeEndpointAsync(endpoint).ConfigureAwait(false);
            }

            _running.TryRemove(session, out _);
        }
    }

    /// <inheritdoc />
    ISessionGroup ISessionHost.GroupOf(EngineWebSocketSession session) =>
        _groups.GetOrAdd(session.Definition.EndpointType, static _ => new ClientSessionGroup());

    /// <inheritdoc />
    string ISessionHost.CreateSessionId() => Groups.CreateSessionId();

    /// <inheritdoc />
    void ISessionHost.SessionOpened(EngineWebSocketSession session) => Groups.SessionOpened(session);

    /// <inheritdoc />
    void ISessionHost.SessionClosing(EngineWebSocketSession session) => Groups.SessionClosing(session);

    /// <inheritdoc />
    // The container awaits RunAsync itself (RunSessionAsync) and tears the connection down there.
    Task ISessionHost.SessionEndedAsync(EngineWebSocketSession session) => Task.CompletedTask;

    private static SocketsHttpHandler CreateHandler(ClientEndpointConfig config)
    {
        // One handler per connection, as ClientWebSocket does: TLS and proxy settings are per configuration,
        // and an upgraded connection never goes back to a pool.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (config.SslOptions is { } ssl)
        {
            handler.SslOptions = ssl;
        }

        if (config.Proxy is { } proxy)
        {
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }

        return handler;
    }

    private static AnnotatedEndpointDefinition FindClientDefinition(Type endpointType)
    {
        if (typeof(Endpoint).IsAssignableFrom(endpointType))
        {
            throw new DeploymentException(
                $"'{endpointType.FullName}' is a programmatic {nameof(Endpoint)}: connect an instance of it, with ConnectToServerAsync(endpoint, config, uri).");
        }

        var definition = AnnotatedEndpointRegistry.Find(endpointType)
            ?? throw new DeploymentException(
                $"'{endpointType.FullName}' is not a client endpoint compiled by the source generator: mark it [ClientEndpoint], or derive it from {nameof(Endpoint)}.");
        if (!definition.IsClientEndpoint)
        {
            throw new DeploymentException(
                $"'{endpointType.FullName}' is a [ServerEndpoint]; only a [ClientEndpoint] class or an {nameof(Endpoint)} can connect to a server.");
        }

        if (definition.MaxTextMessageSize > int.MaxValue || definition.MaxBinaryMessageSize > int.MaxValue)
        {
            throw new DeploymentException(
                $"'{endpointType.FullName}': [OnMessage(MaxMessageSize)] is above {int.MaxValue}, the largest message .NET can hold.");
        }

        return definition;
    }

    private static ClientEndpointConfigurator? CreateConfigurator(AnnotatedEndpointDefinition definition)
    {
        if (definition.CreateConfigurator is not { } create)
        {
            return null;
        }

        object configurator;
        try
        {
            configurator = create();
        }
        catch (Exception ex)
        {
            throw new DeploymentException($"The configurator of client endpoint '{definition.EndpointType.FullName}' could not be created: {ex.Message}", ex);
        }

        return configurator as ClientEndpointConfigurator
            ?? throw new DeploymentException(
                $"The configurator of client endpoint '{definition.EndpointType.FullName}' does not derive from {nameof(ClientEndpointConfigurator)}.");
    }

    private static List<KeyValuePair<string, IReadOnlyList<string>>> ParseQuery(string query)
    {
        var byName = new List<KeyValuePair<string, List<string>>>();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Unescape(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Unescape(pair[(equals + 1)..]);
            var index = byName.FindIndex(entry => entry.Key == name);
            if (index < 0)
            {
                byName.Add(new(name, [value]));
            }
            else
            {
                byName[index].Value.Add(value);
            }
        }

        return byName.ConvertAll(static entry => new KeyValuePair<string, IReadOnlyList<string>>(entry.Key, entry.Value.AsReadOnly()));

        static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
    }

    private async ValueTask DisposeEndpointAsync(object endpoint)
    {
        if (await EndpointInstance.TryDisposeAsync(endpoint).ConfigureAwait(false) is { } failure)
        {
            Log.EndpointDisposeFailed(_logger, endpoint.GetType().FullName, failure);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.ConnectFailed, Level = LogLevel.Debug, Message = "Connecting a WebSocket client to {Uri} failed.")]
        public static partial void ConnectFailed(ILogger logger, Uri uri, Exception exception);

        [LoggerMessage(EventId = LogEvents.TeardownFailed, Level = LogLevel.Warning, Message = "Releasing the connection of a closed WebSocket client session failed.")]
        public static partial void TeardownFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEvents.ClientEndpointDisposeFailed, Level = LogLevel.Warning, Message = "Disposing WebSocket client endpoint {EndpointType} failed.")]
        public static partial void EndpointDisposeFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.DisposeTimedOut, Level = LogLevel.Warning, Message = "{Count} WebSocket client sessions had not ended when the container was disposed.")]
        public static partial void DisposeTimedOut(ILogger logger, int count);
    }
}
