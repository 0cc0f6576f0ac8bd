using System.IO.Pipelines;
using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Server;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// A server session over an in-memory connection, with a client engine as the peer: no HTTP, so the
/// session's own rules (ordering, closing, timers) can be observed exactly.
/// </summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    private readonly Pipe _toServer;

    private SessionHarness(EngineWebSocketSession session, WebSocketEngine serverEngine, WebSocketEngine peer, Task run, ServerEndpointConfig config, Pipe toServer)
    {
        _toServer = toServer;
        Session = session;
        ServerEngine = serverEngine;
        Peer = peer;
        Run = run;
        Config = config;
    }

    public EngineWebSocketSession Session { get; }

    public WebSocketEngine ServerEngine { get; }

    /// <summary>The client side of the connection.</summary>
    public WebSocketEngine Peer { get; }

    /// <summary>The session's receive loop; completes after OnClose.</summary>
    public Task Run { get; }

    public ServerEndpointConfig Config { get; }

    /// <summary>The session's heartbeat (its clock is the one given to <see cref="Start(ScriptedEndpoint, SessionSettings?, Action{ServerEndpointConfig}?, Func{Task}?, TimeProvider?)"/>).</summary>
    public SessionHeartbeat Heartbeat => _heartbeat!;

    private SessionHeartbeat? _heartbeat;

    /// <summary>Starts a session; <paramref name="ended"/> plays the container's side of its end, <paramref name="clock"/> drives every timeout.</summary>
    public static SessionHarness Start(
        ScriptedEndpoint endpoint,
        SessionSettings? settings = null,
        Action<ServerEndpointConfig>? configure = null,
        Func<Task>? ended = null,
        TimeProvider? clock = null) =>
        Start(endpoint.ToDefinition("/harness"), endpoint, settings, configure, ended, clock: clock);

    /// <summary>A session of any endpoint, e.g. a generated one: its registered definition and an instance of it.</summary>
    public static SessionHarness Start(
        AnnotatedEndpointDefinition definition,
        object endpoint,
        SessionSettings? settings = null,
        Action<ServerEndpointConfig>? configure = null,
        Func<Task>? ended = null,
        ILogger? logger = null,
        TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        var options = new PipeOptions(useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        var serverEngine = new WebSocketEngine(new Duplex(toServer.Reader, toClient.Writer), new WebSocketEngineOptions
        {
            Role = WebSocketRole.Server,
            DeliverPings = true,
            CloseTimeout = TimeSpan.FromSeconds(2),
            TimeProvider = clock,
        });
        var peer = new WebSocketEngine(new Duplex(toClient.Reader, toServer.Writer), new WebSocketEngineOptions
        {
            Role = WebSocketRole.Client,
            DeliverPings = true,
            CloseTimeout = TimeSpan.FromSeconds(2),
        });
        var config = ServerEndpointConfig.FromDefinition(definition);
        configure?.Invoke(config);
        var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var context = new SessionContext
        {
            Settings = settings ?? new SessionSettings { MaxTextMessageBufferSize = 1024, MaxBinaryMessageBufferSize = 1024, CloseTimeout = TimeSpan.FromSeconds(2) },
            Logger = logger ?? NullLogger.Instance,
            Heartbeat = heartbeat,
            Host = new Host(ended),
        };
        var session = new EngineWebSocketSession(
            context,
            serverEngine,
            definition.CreateDispatcher(endpoint),
            definition,
            config,
            new SessionConnectionInfo { RequestUri = new Uri("ws://localhost/harness") });
        return new SessionHarness(session, serverEngine, peer, Task.Run(session.RunAsync), config, toServer) { _heartbeat = heartbeat };
    }

    public ValueTask SendTextAsync(string text) =>
        Peer.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text), true, CancellationToken.None);

    /// <summary>The peer's next event of the given kind (others are skipped), within 10 s.</summary>
    public async Task<WebSocketEvent> PeerReceiveAsync(WebSocketEventKind kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var received = await Peer.ReceiveAsync(ReceivePolicy.Whole, timeout.Token);
            if (received.Kind == kind || received.Kind == WebSocketEventKind.Close)
            {
                return received;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The peer's transport ends: the server reads end-of-stream, as when a client vanishes.
        await _toServer.Writer.CompleteAsync();
        Peer.Abort();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
        await ServerEngine.DisposeAsync();
        await Peer.DisposeAsync();
        _heartbeat?.Dispose();
    }

    // The container's side: one group for the harness's session, and its end told to the test.
    private sealed class Host(Func<Task>? ended) : ISessionHost
    {
        private readonly ListGroup _group = new();

        public ISessionGroup GroupOf(EngineWebSocketSession session) => _group;

        public string CreateSessionId() => Guid.NewGuid().ToString("N");

        public void SessionOpened(EngineWebSocketSession session)
        {
        }

        public void SessionClosing(EngineWebSocketSession session)
        {
        }

        public Task SessionEndedAsync(EngineWebSocketSession session) => ended?.Invoke() ?? Task.CompletedTask;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private sealed class ListGroup : ISessionGroup
    {
        private readonly List<WebSocketSession> _sessions = [];

        public void Add(WebSocketSession session)
        {
            lock (_sessions)
            {
                _sessions.Add(session);
            }
        }

        public void Remove(WebSocketSession session)
        {
            lock (_sessions)
            {
                _sessions.Remove(session);
            }
        }

        public IReadOnlyCollection<WebSocketSession> Snapshot()
        {
            lock (_sessions)
            {
                return [.. _sessions];
            }
        }
    }
}
