using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// What a container shares with all of its sessions, in one object (Kestrel's ServiceContext shape): the settings,
/// the logger, the clock and its heartbeat, and the container's side of the session's life. A new capability that
/// every session needs (instrumentation, rooms) is added here, not to the session's constructor.
/// </summary>
internal sealed class SessionContext
{
    /// <summary>The limits and timeouts sessions start with.</summary>
    public required SessionSettings Settings { get; init; }

    /// <summary>The sessions' logger (<see cref="Diagnostics.LoggerCategories.Sessions"/>).</summary>
    public required ILogger Logger { get; init; }

    /// <summary>The one ticking timer that checks every session's deadlines; its clock is <see cref="Clock"/>.</summary>
    public required SessionHeartbeat Heartbeat { get; init; }

    /// <summary>The container's callbacks: which sessions are open beside a session, and that a session ended.</summary>
    public required ISessionHost Host { get; init; }

    /// <summary>The container the sessions belong to, as <see cref="WebSocketSession.Container"/> shows it; null for none (a test harness).</summary>
    public IWebSocketContainer? Container { get; init; }

    /// <summary>The container's meter and activity source; null for none (a test harness).</summary>
    public Diagnostics.WebSocketInstruments? Instruments { get; init; }

    /// <summary>Whether message handler calls of the endpoint at a route get spans (see <c>WebSocketTelemetryOptions</c>).</summary>
    public Func<string, bool> MessageSpans { get; init; } = static _ => true;

    /// <summary>When a session of this container last timed out on its send queue (a <see cref="Clock"/> timestamp; 0: never), for the health check.</summary>
    public long LastSendQueueTimeout;
    /// <summary>The message rate-limit policies the sessions' endpoints name; none on the client.</summary>
    public RateLimitTable RateLimits { get; init; } = RateLimitTable.Empty;

    /// <summary>Told of every message a rate limit delayed, rejected or closed on (the metrics' hook); null for none.</summary>
    public IMessageRateLimitObserver? RateLimitObserver { get; init; }

    /// <summary>The clock every timeout and timestamp of the sessions goes through.</summary>
    public TimeProvider Clock => Heartbeat.Clock;
}
