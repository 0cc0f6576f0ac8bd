namespace Annotated.WebSockets;

/// <summary>
/// A programmatic endpoint: subclass it instead of writing an annotated class when the configuration is only
/// known at run time (Jakarta WebSocket's <c>Endpoint</c>). The container creates one session per connection
/// and calls <see cref="OnOpen"/> first, <see cref="OnError"/> for every error that arises while the session
/// runs, and <see cref="OnClose"/> exactly once at the end.
/// </summary>
/// <remarks>
/// Callbacks for one session never overlap: the next one starts only after the previous one, including its
/// returned task, has finished. An exception thrown by a callback (or a faulted task) reaches
/// <see cref="OnError"/>, and the session stays open.
/// </remarks>
public abstract class Endpoint
{
    /// <summary>Called when a new session has opened, before any message of that session is delivered.</summary>
    /// <param name="session">The session that has just opened.</param>
    /// <param name="config">The configuration the session was opened with (for a client, the <c>ClientEndpointConfig</c>).</param>
    /// <returns>A task that completes when the endpoint is ready for the session's messages.</returns>
    public abstract Task OnOpen(WebSocketSession session, EndpointConfig config);

    /// <summary>
    /// Called once when the session is about to close, whoever started the close: the peer, the application or
    /// the container (for example 1006 when the connection was lost). The default does nothing.
    /// </summary>
    /// <param name="session">The closing session; it can no longer send.</param>
    /// <param name="closeReason">Why the session closed.</param>
    /// <returns>A task that completes when the endpoint is done with the session.</returns>
    public virtual Task OnClose(WebSocketSession session, CloseReason closeReason) => Task.CompletedTask;

    /// <summary>
    /// Called when an error arises on the session: an exception from one of this endpoint's callbacks, or a
    /// <see cref="SessionException"/> from the connection (for example a protocol violation of the peer).
    /// The default does nothing; override it to log or to close the session.
    /// </summary>
    /// <param name="session">The session on which the error arose.</param>
    /// <param name="error">What went wrong.</param>
    /// <returns>A task that completes when the error is handled.</returns>
    public virtual Task OnError(WebSocketSession session, Exception error) => Task.CompletedTask;
}
