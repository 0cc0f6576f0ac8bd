namespace Annotated.WebSockets;

/// <summary>
/// A message was dropped because it exceeded its <see cref="MessageRateLimitPolicy"/>
/// (<see cref="MessageRateLimitAction.Reject"/>, or <see cref="MessageRateLimitAction.Close"/> within its rejection
/// budget). The endpoint's <see cref="OnErrorAttribute"/> method receives it; the session stays open.
/// </summary>
public sealed class MessageRateLimitedException : SessionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="policyName">The policy the message exceeded.</param>
    /// <param name="retryAfter">How long until the policy would let a message through.</param>
    /// <param name="session">The session the message arrived on, if known.</param>
    public MessageRateLimitedException(string policyName, TimeSpan retryAfter, WebSocketSession? session)
        : base($"A message exceeded the rate-limit policy '{policyName}' and was dropped; the next token is free in {retryAfter}.", null, session)
    {
        PolicyName = policyName;
        RetryAfter = retryAfter;
    }

    /// <summary>The name of the policy the message exceeded.</summary>
    public string PolicyName { get; }

    /// <summary>How long, when the message was dropped, until the policy would let a message through.</summary>
    public TimeSpan RetryAfter { get; }
}
