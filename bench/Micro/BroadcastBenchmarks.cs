using System.IO.Pipelines;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Server;
using Annotated.WebSockets.Sessions;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// One 32-byte text message to every member of a room of <see cref="Members"/> real server sessions (engine, session,
/// send queue; the transport throws the bytes away): through <see cref="WebSocketGroups"/> (encoded and framed once,
/// queued on each member) and as today's chat loop did it (each member's <c>BasicRemote.SendTextAsync</c> awaited in
/// turn, the text encoded per member). <c>Allocated</c> per broadcast is the figure to watch: flat in the member count
/// for the group, apart from nothing.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks
{
    private const string Line = "alice: hello everyone in lobby!!";   // 32 bytes of UTF-8
    private readonly List<EngineWebSocketSession> _sessions = [];
    private WebSocketGroups _groups = null!;
    private PreparedMessage _message = null!;
    private DiscardPipeWriter _transport = null!;
    private SessionHeartbeat _heartbeat = null!;

    /// <summary>Sessions in the room.</summary>
    [Params(10, 1_000, 10_000)]
    public int Members { get; set; }

    /// <summary>Opens the sessions (their receive loops wait on input that never comes) and puts them in the room.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _groups = new WebSocketGroups(new WebSocketGroupOptions(), new NameIdentifierUserIdProvider());
        _heartbeat = new SessionHeartbeat(TimeProvider.System, NullLogger.Instance);
        var context = new SessionContext
        {
            Settings = new SessionSettings { MaxTextMessageBufferSize = 4096, MaxBinaryMessageBufferSize = 4096 },
            Logger = NullLogger.Instance,
            Heartbeat = _heartbeat,
            Host = new Host(_groups),
        };
        var definition = AnnotatedEndpointRegistry.Find(typeof(BenchEndpoint))
            ?? throw new InvalidOperationException("The generated registration of BenchEndpoint is missing.");
        var config = ServerEndpointConfig.FromDefinition(definition);
        // One discarding writer for every engine: the benchmark sends from one thread, each engine under its own lock.
        _transport = new DiscardPipeWriter(64 * 1024);
        var engineOptions = new WebSocketEngineOptions { Role = WebSocketRole.Server, WritesReachPeer = true };
        for (var i = 0; i < Members; i++)
        {
            var input = new Pipe();
            var engine = new WebSocketEngine(new Duplex(input.Reader, _transport), engineOptions);
            var session = new EngineWebSocketSession(
                context,
                engine,
                definition.CreateDispatcher(new BenchEndpoint()),
                definition,
                config,
                new SessionConnectionInfo { RequestUri = new Uri("ws://127.0.0.1/bench") });
            _ = session.RunAsync();   // opens (the groups index it) and waits for input
            if (!_groups.Add(session, "room"))
            {
                throw new InvalidOperationException("A benchmark session did not open.");
            }

            _sessions.Add(session);
        }

        _message = PreparedMessage.FromText(Line);
    }

    /// <summary>Stops the heartbeat.</summary>
    [GlobalCleanup]
    public void Cleanup() => _heartbeat.Dispose();

    /// <summary>The group: encoded and framed once, queued on every member, no member awaited.</summary>
    [Benchmark(Baseline = true)]
    public BroadcastResult Group() => _groups.SendToGroupAsync("room", _message).GetAwaiter().GetResult();

    /// <summary>The group, the text encoded by the call (a new <see cref="PreparedMessage"/> per broadcast).</summary>
    [Benchmark]
    public BroadcastResult GroupFromString() => _groups.SendToGroupAsync("room", Line).GetAwaiter().GetResult();

    /// <summary>Today's chat loop: every member's basic remote awaited in turn, the text encoded per member.</summary>
    [Benchmark]
    public async Task AwaitEachMember()
    {
        foreach (var session in _sessions)
        {
            await session.BasicRemote.SendTextAsync(Line);
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    // The container's side, as the server's: the groups index each session when it opens and when it closes.
    private sealed class Host(WebSocketGroups groups) : ISessionHost
    {
        private readonly ListGroup _endpoint = new();

        public ISessionGroup GroupOf(EngineWebSocketSession session) => _endpoint;

        public string CreateSessionId() => groups.CreateSessionId();

        public void SessionOpened(EngineWebSocketSession session) => groups.SessionOpened(session);

        public void SessionClosing(EngineWebSocketSession session) => groups.SessionClosing(session);

        public Task SessionEndedAsync(EngineWebSocketSession session) => Task.CompletedTask;
    }

    private sealed class ListGroup : ISessionGroup
    {
        public void Add(WebSocketSession session)
        {
        }

        public void Remove(WebSocketSession session)
        {
        }

        public IReadOnlyCollection<WebSocketSession> Snapshot() => [];
    }
}
