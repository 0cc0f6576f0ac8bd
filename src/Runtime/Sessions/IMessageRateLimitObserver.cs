namespace Annotated.WebSockets.Sessions;

/// <summary>
/// Told of every message a rate limit acted on, on the session's receive loop: the seam the metrics
/// (<c>rate_limited</c> by policy and action) hang on. Must not block or throw.
/// </summary>
internal interface IMessageRateLimitObserver
{
    /// <summary>A message of <paramref name="session"/> found the policy's bucket empty.</summary>
    /// <param name="session">The session.</param>
    /// <param name="endpointPath">The endpoint's path template (a metric tag), or null on a programmatic endpoint without one.</param>
    /// <param name="policy">The policy's name.</param>
    /// <param name="outcome">
    /// What happened: <see cref="MessageRateLimitAction.Delay"/> (the message waits), <see cref="MessageRateLimitAction.Reject"/>
    /// (dropped, also under the close action while its budget lasts) or <see cref="MessageRateLimitAction.Close"/> (the
    /// session is being closed with 1008).
    /// </param>
    void MessageRateLimited(WebSocketSession session, string? endpointPath, string policy, MessageRateLimitAction outcome);
}
