namespace Annotated.WebSockets;

/// <summary>What a session does with a message that finds no token in a <see cref="MessageRateLimitPolicy"/>'s buckets.</summary>
public enum MessageRateLimitAction
{
    /// <summary>
    /// The session stops reading the connection until a token is free, then delivers the message: nothing is lost,
    /// and the peer's sends stall once the transport's buffers are full (TCP back-pressure).
    /// </summary>
    Delay,

    /// <summary>
    /// The message is dropped and the endpoint's <see cref="OnErrorAttribute"/> method receives a
    /// <see cref="MessageRateLimitedException"/>; the session stays open.
    /// </summary>
    Reject,

    /// <summary>
    /// The message is rejected as with <see cref="Reject"/> while the policy's
    /// <see cref="MessageRateLimitPolicy.RejectionBudget"/> lasts; the next message over the limit closes the session
    /// with 1008 (<see cref="CloseCode.ViolatedPolicy"/>).
    /// </summary>
    Close,
}
