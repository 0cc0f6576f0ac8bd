using System.Diagnostics.Metrics;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Server;

/// <summary>
/// The server container (<see cref="IServerContainer"/>): it composes the server's three roles, deployment
/// (<see cref="ServerEndpointDeployment"/>), upgrade and negotiation (<see cref="ServerUpgrade"/>) and one connection's
/// life (<see cref="ServerConnection"/>), and holds what they share: the sessions' context (settings, logger, clock and
/// heartbeat), the session tracker, the admission counters and the DI scope factory.
/// </summary>
internal sealed class ServerContainer : IServerContainer, ISessionHost, ISessionActivity, IDisposable
{
    private readonly ServerEndpointDeployment _deployment;
    private readonly ServerUpgrade _upgrade;
    private readonly WebSocketSessionOptions _sessionOptions;

    public ServerContainer(
        IOptions<AnnotatedWebSocketsOptions> options,
        IServiceScopeFactory scopeFactory,
        ServerSessionTracker tracker,
        ILoggerFactory loggerFactory,
        WebSocketGroups groups,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
    {
        Groups = groups;
        var settings = options.Value;
        ScopeFactory = scopeFactory;
        Sessions = tracker;
        Logger = loggerFactory.CreateLogger(LoggerCategories.Server);
        Admission = new ConnectionAdmission(settings.MaxConcurrentConnections, settings.MaxConcurrentConnectionsPerEndpoint);
        // A copy, so every connection gets the values the container started with.
        var sessionOptions = settings.Sessions.Clone();
        var sessionLogger = loggerFactory.CreateLogger(LoggerCategories.Sessions);
        // The clock from DI (a FakeTimeProvider in tests), for every timeout of every session and engine.
        var clock = timeProvider ?? TimeProvider.System;
        Instruments = new WebSocketInstruments(meterFactory, server: true);
        var endpointsWithoutMessageSpans = settings.Telemetry.EndpointsWithoutMessageSpans.ToHashSet(StringComparer.Ordinal);
        var messageSpans = settings.Telemetry.MessageSpans;
        SessionContext = new SessionContext
        {
            Settings = sessionOptions.ToSessionSettings(),
            Logger = sessionLogger,
            Heartbeat = new SessionHeartbeat(clock, sessionLogger),
            Host = this,
            Container = this,
            Instruments = Instruments,
            MessageSpans = route => messageSpans && !endpointsWithoutMessageSpans.Contains(route),
            RateLimits = RateLimitTable.Create(settings.MessageRateLimitPolicies, clock),
            RateLimitObserver = SessionTelemetry.RateLimitCounter,
        };
        _sessionOptions = sessionOptions;
        _upgrade = new ServerUpgrade(this, settings, sessionOptions, Admission, Logger, clock);
        _deployment = new ServerEndpointDeployment(HandleMappedAsync, CheckDeployment);
    }

    /// <inheritdoc />
    public IReadOnlyList<Extension> InstalledExtensions => ExtensionConfiguration.Runnable;

    /// <inheritdoc />
    public TimeSpan DefaultMaxSessionIdleTimeout => _sessionOptions.MaxIdleTimeout;

    /// <inheritdoc />
    public int DefaultMaxTextMessageBufferSize => _sessionOptions.MaxTextMessageBufferSize;

    /// <inheritdoc />
    public int DefaultMaxBinaryMessageBufferSize => _sessionOptions.MaxBinaryMessageBufferSize;

    /// <inheritdoc />
    public TimeSpan DefaultAsyncSendTimeout => _sessionOptions.AsyncSendTimeout;

    /// <summary>The open sessions of every endpoint.</summary>
    internal ServerSessionTracker Sessions { get; }

    /// <summary>The server's meter, instruments and activity source.</summary>
    internal WebSocketInstruments Instruments { get; }

    /// <summary>The groups of this server's sessions (the <see cref="WebSocketGroups"/> service).</summary>
    internal WebSocketGroups Groups { get; }

    /// <summary>What every session of this server shares (settings, logger, clock and heartbeat, this host).</summary>
    internal SessionContext SessionContext { get; }

    /// <summary>The heartbeat that checks every session's timeouts.</summary>
    internal SessionHeartbeat Heartbeat => SessionContext.Heartbeat;

    /// <summary>The connection limits, counted before the upgrade.</summary>
    internal ConnectionAdmission Admission { get; }

    /// <summary>Makes the DI scope of a connection whose endpoint needs services.</summary>
    internal IServiceScopeFactory ScopeFactory { get; }

    /// <summary>The server's logger (<see cref="LoggerCategories.Server"/>).</summary>
    internal ILogger Logger { get; }

    /// <summary>
    /// What keeps <paramref name="config"/> of <paramref name="definition"/> from being deployed on this server: the
    /// configured rate-limit policies' problems, each policy name the endpoint gives that is not configured, each
    /// extension of the config the container cannot run, and its coders (each made once in a scope of its own to prove
    /// it can be).
    /// </summary>
    internal IEnumerable<string> CheckDeployment(ServerEndpointConfig config, AnnotatedEndpointDefinition definition)
    {
        var table = SessionContext.RateLimits;
        var rateLimits = definition.HasRateLimits
            ? table.Errors.Concat(table.Check(definition.RateLimitPolicy, definition.TextRateLimitPolicy, definition.BinaryRateLimitPolicy, definition.PongRateLimitPolicy))
            : [];
        return rateLimits.Concat(ConfiguredExtensions.Check(config.Extensions)).Concat(CheckCoders(config, definition));
    }

    /// <summary>What keeps the coders of <paramref name="config"/> from being deployed (see <see cref="CoderDeployment"/>).</summary>
    private IReadOnlyList<string> CheckCoders(ServerEndpointConfig config, AnnotatedEndpointDefinition definition)
    {
        if (config.Coders is not { IsEmpty: false })
        {
            return [];
        }

        using var scope = ScopeFactory.CreateScope();
        return CoderDeployment.Check(config, definition, scope.ServiceProvider, $"the ServerEndpointConfig at '{config.Path}'");
    }

    /// <summary>The routes of endpoints added at run time; MapAnnotatedWebSockets attaches it.</summary>
    internal DynamicServerEndpointDataSource DynamicEndpoints => _deployment.DynamicEndpoints;

    /// <inheritdoc />
    public int OpenSessionCount => Sessions.Count;

    /// <inheritdoc />
    public bool HasPendingSends => Sessions.AnyPendingSends();

    /// <inheritdoc />
    public int RateLimitWaitingSessionCount => Sessions.CountWaitingForRateLimit();

    /// <inheritdoc />
    ISessionGroup ISessionHost.GroupOf(EngineWebSocketSession session) => Sessions.GetGroup((ServerEndpointConfig)session.Config);

    /// <inheritdoc />
    string ISessionHost.CreateSessionId() => Groups.CreateSessionId();

    /// <inheritdoc />
    void ISessionHost.SessionOpened(EngineWebSocketSession session) => Groups.SessionOpened(session);

    /// <inheritdoc />
    void ISessionHost.SessionClosing(EngineWebSocketSession session) => Groups.SessionClosing(session);

    /// <inheritdoc />
    Task ISessionHost.SessionEndedAsync(EngineWebSocketSession session) =>
        Sessions.ConnectionOf(session) is { } connection ? connection.SessionEndedAsync() : Task.CompletedTask;

    /// <summary>Stops the heartbeat (the host is disposing its services).</summary>
    public void Dispose() => SessionContext.Heartbeat.Dispose();

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

        if (CheckCoders(config, definition).FirstOrDefault() is { } problem)
        {
            throw new DeploymentException($"{config.EndpointType.FullName}: {problem}");
        }

        return _upgrade.AcceptAsync(context, config, definition, pathParameters);
    }

    /// <inheritdoc />
    public void AddEndpoint(Type endpointType) => _deployment.Add(endpointType);

    /// <inheritdoc />
    public void AddEndpoint(ServerEndpointConfig config) => _deployment.Add(config);

    /// <summary>Claims a path shape for this application; false when an equivalent path is already deployed.</summary>
    internal bool TryReserveShape(string shape, Type endpointType) => _deployment.TryReserveShape(shape, endpointType);

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

        return _upgrade.AcceptAsync(context, mapped.Config, mapped.Definition, pathParameters);
    }
}
