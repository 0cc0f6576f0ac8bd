namespace Annotated.WebSockets.Protocol;

/// Per-receive choice of how data messages are delivered; a session computes it from its message handlers.
/// Whole: the engine buffers the message (pooled) and delivers it once, checking the size limit before it buffers
/// the excess (1009). Not whole: each piece of payload is delivered as it arrives, the limit is not applied
/// (the frame limit still is). A limit of zero or less means <see cref="WebSocketEngineOptions.MaxMessageSize"/>.
/// The policy in force when a message's first frame arrives applies to the whole message.
internal readonly record struct ReceivePolicy(
    bool WholeText,
    long MaxTextMessageSize,
    bool WholeBinary,
    long MaxBinaryMessageSize)
{
    /// Whole messages of both kinds with the engine's default limit.
    public static ReceivePolicy Whole => new(true, 0, true, 0);

    /// Parts of both kinds as they arrive.
    public static ReceivePolicy Partial => new(false, 0, false, 0);
}
