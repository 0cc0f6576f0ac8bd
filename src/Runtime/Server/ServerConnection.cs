using System.Runtime.CompilerServices;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.DependencyInjection;

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
internal sealed class ServerConnection : TaskCompletionSource
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
            await _container.TearDownAsync(this).ConfigureAwait(false);
        }
        finally
        {
            TrySetResult();
        }
    }
}
