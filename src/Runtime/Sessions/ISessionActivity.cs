namespace Annotated.WebSockets;

/// <summary>
/// What the sessions of a container have in hand that will reach their connections without any new input: a test
/// harness reads it to know when a server is quiescent (Annotated.WebSockets.Testing). The server container is one;
/// resolve it from the services after <c>AddAnnotatedWebSockets</c>.
/// </summary>
/// <remarks>
/// A session's receive loop runs every handler it calls before it reads again, so a harness that owns the transport
/// sees that work as "the session has not read everything yet". What it cannot see is what a session sends outside
/// that loop: a broadcast queued on it by another session's handler, an asynchronous send not awaited, a keep-alive
/// ping or a close started by a timeout. <see cref="HasPendingSends"/> covers those. A session that
/// waits for a rate-limit token stops reading until time passes: <see cref="RateLimitWaitingSessionCount"/> says how many do. Work that an endpoint starts on
/// its own (<c>Task.Run</c>, its own timers) is not counted. Reading these values takes no lock and allocates nothing
/// but is O(open sessions): meant for tests, not for a hot path.
/// </remarks>
public interface ISessionActivity
{
    /// <summary>The sessions that are open now (opened, not yet torn down), across every endpoint of the container.</summary>
    int OpenSessionCount { get; }

    /// <summary>
    /// Whether some open session has messages or control frames accepted for sending and not yet written to its
    /// connection (queued, being written, or waiting for room in its send queue).
    /// </summary>
    bool HasPendingSends { get; }

    /// <summary>
    /// The open sessions whose next message waits for a rate-limit token under
    /// <see cref="MessageRateLimitAction.Delay"/>: each reads nothing from its connection until time passes, so a harness
    /// counts that connection's unread input as settled rather than as work in hand.
    /// </summary>
    int RateLimitWaitingSessionCount { get; }
}
