using System.Runtime.CompilerServices;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Server;

/// <summary>
/// One admitted WebSocket connection on the server: what it holds (its admission, engine, DI scope and endpoint
/// instance) and, as a <see cref="TaskCompletionSource"/>, the task the HTTP server awaits for the request. The task
/// completes once the connection is torn down: when its session ended, or when a shutdown abandoned the session
/// (its handler does not return), so that the server can stop.
/// </summary>
/// <remarks>
/// Nothing awaits the session: it tells the container when it is over (<see cref="ISessionHost.SessionEndedAsync"/>),
/// which calls <see cref="SessionEndedAsync"/> here, so an idle connection holds the session's one pending state
/// machine and this object, not a chain of awaiting methods.
/// </remarks>
internal sealed partial class ServerConnection : TaskCompletionSource
{
    private readonly ServerContainer _container;
    private int _ended;

    public ServerConnection(ServerContainer container, StrongBox<int> admitted)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        _container = container;
        Admitted = admitted;
    }

    /// <summary>The endpoint's admission counter, released at the end.</summary>
    public StrongBox<int> Admitted { get; }

    /// <summary>The engine, once the connection is upgraded.</summary>
    public WebSocketEngine? Engine { get; set; }

    /// <summary>The connection's DI scope, when it has one.</summary>
    public AsyncServiceScope? Scope { get; set; }

    /// <summary>The endpoint instance, when it was made.</summary>
    public object? Instance { get; set; }

    /// <summary>Whether the instance is ours to dispose (the default configurator made it for this connection).</summary>
    public bool OwnsInstance { get; set; }

    /// <summary>The session, once it runs.</summary>
    public EngineWebSocketSession? Session { get; set; }

    /// <summary>Tears the connection down once, then completes the request's task; later calls do nothing. Never throws.</summary>
    public Task SessionEndedAsync() =>
        Interlocked.Exchange(ref _ended, 1) == 0 ? EndAsync() : Task.CompletedTask;

    private async Task EndAsync()
    {
        try
        {
            await TearDownAsync().ConfigureAwait(false);
        }
        finally
        {
            TrySetResult();
        }
    }

    /// <summary>
    /// After the 101: makes the engine, the endpoint instance (in a DI scope when it needs one) and its session, and
    /// starts the session, which tells the container when it is over. Returns the connection's task (what the HTTP
    /// server awaits for the request).
    /// </summary>
    public Task Start(ConnectionStart start, Stream transport)
    {
        var (context, config, definition, connectionConfig, info, engineOptions) = start;
        try
        {
            // A WebSocket lives as long as the peer wants: the request timeout no longer applies (as in Kestrel's WebSocketMiddleware).
            context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();

            var engine = new WebSocketEngine(transport, engineOptions);
            Engine = engine;
            // The default configurator makes an endpoint whose constructor takes nothing with `new T()`: no scope per
            // connection for it. A custom configurator may resolve services in GetEndpointInstance, so it always gets one.
            var configurator = config.Configurator;
            var defaultConfigurator = configurator.GetType() == typeof(ServerEndpointConfigurator);
            // A custom configurator may hand out a shared instance; only instances made per connection are ours to dispose.
            OwnsInstance = defaultConfigurator;
            AsyncServiceScope? scope = definition.UsesServices || !defaultConfigurator ? _container.ScopeFactory.CreateAsyncScope() : null;
            Scope = scope;

            // Jakarta's order: the endpoint instance is made after the 101, just before OnOpen.
            EndpointDispatcher dispatcher;
            try
            {
                Instance = configurator.CreateInstance(definition, scope?.ServiceProvider ?? EmptyServiceProvider.Instance);
                dispatcher = definition.CreateDispatcher(Instance);
                if (dispatcher is ProgrammaticDispatcher programmatic)
                {
                    // The configuration's coders are made per session from the connection's services.
                    programmatic.Services = scope?.ServiceProvider ?? EmptyServiceProvider.Instance;
                }
            }
            catch (Exception ex)
            {
                Log.EndpointCreationFailed(_container.Logger, config.EndpointType.FullName, ex);
                return CloseUnstartedAsync();
            }

            var session = new EngineWebSocketSession(_container.SessionContext, engine, dispatcher, definition, connectionConfig, info);
            Session = session;
            // Through the tracker, so that a shutdown can drain the session and give up on a stuck handler, and so that
            // the session's end reaches this connection (ISessionHost.SessionEndedAsync).
            _container.Sessions.Add(session, this);
            // Not awaited: the session ends the connection itself (through ISessionHost), and RunAsync never throws.
            _ = session.RunAsync();
            return Task;
        }
        catch (Exception ex)
        {
            return EndFaultedAsync(ex);
        }
    }

    /// <summary>
    /// Releases what a connection holds, once its session is over (or was abandoned): the tracker's entry, the
    /// engine, the endpoint instance when it is ours, the DI scope and the admission. Never throws.
    /// </summary>
    private async Task TearDownAsync()
    {
        try
        {
            if (Session is { } session)
            {
                _container.Sessions.Remove(session);
            }

            if (Engine is { } engine)
            {
                try
                {
                    await engine.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    // The session is over and its close handler has run; a teardown failure must not reach Kestrel.
                    Log.EngineDisposeFailed(_container.Logger, ex);
                }
            }

            if (OwnsInstance)
            {
                await DisposeEndpointAsync(Instance).ConfigureAwait(false);
            }

            if (Scope is { } connectionScope)
            {
                try
                {
                    await connectionScope.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Log.ScopeDisposeFailed(_container.Logger, ex);
                }
            }
        }
        finally
        {
            _container.Admission.Release(Admitted);
        }
    }

    // The endpoint could not be made after the 101 went out: close with 1011, wait (bounded) for the peer's answer,
    // then end the connection.
    private async Task CloseUnstartedAsync()
    {
        try
        {
            var engine = Engine!;
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
            await SessionEndedAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the connection after a failure of its start, then rethrows the failure to the request.</summary>
    public async Task EndFaultedAsync(Exception error)
    {
        await SessionEndedAsync().ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }

    private async ValueTask DisposeEndpointAsync(object? instance)
    {
        if (await EndpointInstance.TryDisposeAsync(instance).ConfigureAwait(false) is { } failure)
        {
            Log.EndpointDisposeFailed(_container.Logger, instance!.GetType().FullName, failure);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.EndpointCreationFailed, Level = LogLevel.Error, Message = "Could not create an instance of WebSocket endpoint {EndpointType}.")]
        public static partial void EndpointCreationFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.EndpointDisposeFailed, Level = LogLevel.Warning, Message = "Disposing WebSocket endpoint {EndpointType} failed.")]
        public static partial void EndpointDisposeFailed(ILogger logger, string? endpointType, Exception exception);

        [LoggerMessage(EventId = LogEvents.EngineDisposeFailed, Level = LogLevel.Warning, Message = "Releasing the connection of a closed WebSocket session failed.")]
        public static partial void EngineDisposeFailed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = LogEvents.ScopeDisposeFailed, Level = LogLevel.Warning, Message = "Disposing the services of a closed WebSocket session failed.")]
        public static partial void ScopeDisposeFailed(ILogger logger, Exception exception);
    }
}
