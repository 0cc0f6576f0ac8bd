namespace Annotated.WebSockets.Testing;

/// <summary>What joins a standalone host's clients to its server.</summary>
public enum WebSocketTestTransport
{
    /// <summary>An in-memory connection through the application's pipeline on a test server: no socket, no port (the default).</summary>
    InMemory,

    /// <summary>
    /// Kestrel on a loopback port and real sockets, watched on both ends so that quiescence and every expectation work
    /// the same: the parity mode, to check that a suite gives the same transcripts on both. <see cref="WebSocketConnectOptions.User"/>
    /// cannot be set (authenticate through a header instead).
    /// </summary>
    Kestrel,
}

/// <summary>How a <see cref="WebSocketTestHost"/> behaves: its clock, its transport, its waits and what it reports.</summary>
public sealed class WebSocketTestHostOptions
{
    /// <summary>
    /// Whether the host runs on a virtual clock (<see cref="TestClock"/>, the default) that only
    /// <see cref="WebSocketTestHost.AdvanceAsync"/> moves; false for the system clock (timeouts then take real time).
    /// </summary>
    public bool UseVirtualTime { get; set; } = true;

    /// <summary>What joins the clients to the server (standalone hosts only; a WebApplicationFactory host is always in memory).</summary>
    public WebSocketTestTransport Transport { get; set; } = WebSocketTestTransport.InMemory;

    /// <summary>How long (real time) an <c>Expect…</c> waits for the next entry of an inbox. Default: 2 seconds.</summary>
    public TimeSpan ExpectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long (real time) <see cref="WebSocketTestHost.WaitForQuiescenceAsync"/> waits before it fails: only a
    /// handler that does not return (or waits for virtual time that cannot pass meanwhile) takes that long. Default: 10 seconds.
    /// </summary>
    public TimeSpan QuiescenceTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether disposing the host throws when a test left clients open (they are closed either way, and listed in the
    /// message). Default: false (they are only reported to <see cref="Log"/>).
    /// </summary>
    public bool RequireClosedClients { get; set; }

    /// <summary>Where the host reports what a test should know (clients left open); for example xunit's <c>ITestOutputHelper.WriteLine</c>.</summary>
    public Action<string>? Log { get; set; }
}
