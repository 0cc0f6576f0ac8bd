namespace Annotated.WebSockets;

/// <summary>What a broadcast does for a member whose send queue is full: it never waits for that member either way.</summary>
public enum GroupOverflowPolicy
{
    /// <summary>
    /// The message waits in the member's queue, behind what is there, without the broadcast waiting for it; if the
    /// member's peer takes nothing for <see cref="WebSocketSessionOptions.SendQueueTimeout"/>, the member is closed
    /// with <see cref="WebSocketSessionOptions.SendQueueTimeoutCloseCode"/> (1008 by default). The default.
    /// </summary>
    Close,

    /// <summary>The message is not sent to that member, and the drop is counted in <see cref="BroadcastResult.Dropped"/>.</summary>
    Drop,
}
