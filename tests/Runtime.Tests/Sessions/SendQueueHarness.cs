using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Server;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// A server session over an in-memory connection whose pipes hold at most <c>pauseThreshold</c> unread bytes, with a
/// raw peer that reads only when the test says so: a peer that stops reading fills the transport at once, as a
/// half-open TCP peer does once the kernel buffers are full.
/// </summary>
internal sealed class SendQueueHarness : IAsyncDisposable
{
    private readonly DuplexPipe _peerSide;

    private SendQueueHarness(EngineWebSocketSession session, WebSocketEngine engine, RawPeer peer, DuplexPipe peerSide, CountingGroup group)
    {
        Session = session;
        Engine = engine;
        Peer = peer;
        _peerSide = peerSide;
        Group = group;
        Run = Task.Run(session.RunAsync);
    }

    public EngineWebSocketSession Session { get; }

    public WebSocketEngine Engine { get; }

    /// <summary>The client end; nothing is read until the test reads.</summary>
    public RawPeer Peer { get; }

    /// <summary>The session's receive loop; completes after OnClose.</summary>
    public Task Run { get; }

    public CountingGroup Group { get; }

    public SendQueue Queue => Session.SendQueue;

    /// <summary>Starts a session; <paramref name="groups"/> indexes it as a container would, <paramref name="user"/> is its principal.</summary>
    public static SendQueueHarness Start(
        ScriptedEndpoint endpoint,
        SessionSettings settings,
        long pauseThreshold = 1024,
        TimeProvider? clock = null,
        WebSocketGroups? groups = null,
        System.Security.Claims.ClaimsPrincipal? user = null)
    {
        clock ??= TimeProvider.System;
        var (serverSide, peerSide) = DuplexPipe.CreatePair(pauseThreshold);
        var engine = new WebSocketEngine(serverSide, new WebSocketEngineOptions
        {
            Role = WebSocketRole.Server,
            DeliverPings = true,
            CloseTimeout = settings.CloseTimeout,
            MaxQueuedSendBytes = settings.MaxQueuedSendBytes,
            TimeProvider = clock,
        });
        var definition = endpoint.ToDefinition("/sendqueue");
        var group = new CountingGroup();
        var context = new SessionContext
        {
            Settings = settings,
            Logger = NullLogger.Instance,
            Heartbeat = new SessionHeartbeat(clock, NullLogger.Instance),
            Host = new Host(group, groups),
        };
        var session = new EngineWebSocketSession(
            context,
            engine,
            definition.CreateDispatcher(endpoint),
            definition,
            ServerEndpointConfig.FromDefinition(definition),
            new SessionConnectionInfo { RequestUri = new Uri("ws://localhost/sendqueue"), User = user });
        return new SendQueueHarness(session, engine, new RawPeer(peerSide, masks: true), peerSide, group);
    }

    public static SessionSettings Settings(
        int maxMessages = 1024,
        long maxBytes = 1024 * 1024,
        TimeSpan? timeout = null,
        CloseCode code = CloseCode.ViolatedPolicy,
        TimeSpan? closeTimeout = null) => new()
        {
            MaxTextMessageBufferSize = 1024,
            MaxBinaryMessageBufferSize = 1024,
            MaxQueuedSendMessages = maxMessages,
            MaxQueuedSendBytes = maxBytes,
            SendQueueTimeout = timeout ?? TimeSpan.FromSeconds(30),
            SendQueueTimeoutCloseCode = code,
            CloseTimeout = closeTimeout ?? TimeSpan.FromSeconds(2),
        };

    /// <summary>A binary payload whose first four bytes carry <paramref name="index"/>.</summary>
    public static byte[] Payload(int index, int length)
    {
        var payload = new byte[length];
        BitConverter.TryWriteBytes(payload, index);
        return payload;
    }

    /// <summary>Polls <paramref name="condition"/> for at most 10 s.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting: " + describe());
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The peer vanishes: its output ends and the engine's pending reads and writes are released.
        await _peerSide.Output.CompleteAsync();
        await _peerSide.Input.CompleteAsync();
        Engine.Abort();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
        await Engine.DisposeAsync();
    }

    private sealed class Host(CountingGroup group, WebSocketGroups? groups) : ISessionHost
    {
        public ISessionGroup GroupOf(EngineWebSocketSession session) => group;

        public string CreateSessionId() => groups?.CreateSessionId() ?? Guid.NewGuid().ToString("N");

        public void SessionOpened(EngineWebSocketSession session) => groups?.SessionOpened(session);

        public void SessionClosing(EngineWebSocketSession session) => groups?.SessionClosing(session);

        public Task SessionEndedAsync(EngineWebSocketSession session) => Task.CompletedTask;
    }

    /// <summary>The open sessions, as a container counts them.</summary>
    internal sealed class CountingGroup : ISessionGroup
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(WebSocketSession session) => Interlocked.Increment(ref _count);

        public void Remove(WebSocketSession session) => Interlocked.Decrement(ref _count);

        public IReadOnlyCollection<WebSocketSession> Snapshot() => [];
    }
}
