namespace Annotated.WebSockets.Protocol;

/// Per-connection settings of a <see cref="WebSocketEngine"/>, fixed when the engine is created.
internal sealed class WebSocketEngineOptions
{
    public required WebSocketRole Role { get; init; }

    /// Data frames whose payload (as on the wire, compressed or not) is larger fail the connection with 1009,
    /// decided from the header before any payload is buffered.
    public int MaxFramePayloadSize { get; init; } = 1024 * 1024;

    /// The whole-message limit used when a <see cref="ReceivePolicy"/> limit is zero or less (1009 when exceeded).
    public long MaxMessageSize { get; init; } = 1024 * 1024;

    /// false: the engine answers pings itself with a pong carrying the same payload and does not deliver them;
    /// true: Ping events reach the caller, who answers.
    public bool DeliverPings { get; init; }

    /// How long to wait for the peer's close frame after we sent ours before the transport is aborted.
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// How long a data message may take from its first frame to its last; zero or less (or infinite) for no limit.
    /// Exceeded: the connection fails with 1008.
    public TimeSpan MessageReceiveTimeout { get; init; }

    /// The clock of the close timeout and the message receive timeout (a fake one in tests).
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// The negotiated permessage-deflate parameters; null when the extension was not negotiated
    /// (RSV1 is then a protocol error).
    public PerMessageDeflateParameters? Deflate { get; init; }

    /// How to compress when <see cref="Deflate"/> is set (level, threshold). Null: the defaults.
    public PerMessageDeflateOptions? DeflateOptions { get; init; }

    /// The most bytes the engine buffers for the transport before it waits for the transport to take them
    /// (large messages are written and flushed in pieces of at most this size), so memory stays bounded however
    /// slowly the peer reads; senders wait behind the one send in progress. The session layer bounds the messages
    /// waiting for their turn with the same figure (its SendQueue) and gives up on a peer that takes nothing, using
    /// <see cref="WebSocketEngine.SendProgress"/>.
    public long MaxQueuedSendBytes { get; init; } = 1024 * 1024;

    /// True when every write to a Stream transport reaches the peer without Stream.FlushAsync: Kestrel's HTTP/1.1
    /// upgraded stream and the client's HTTP/1.1 connection stream. The engine then sends each frame with one
    /// Stream.WriteAsync, as ManagedWebSocket does; otherwise (HTTP/2 streams buffer their DATA frames, and a Stream of
    /// unknown kind may buffer) a Stream.FlushAsync follows every write.
    public bool WritesReachPeer { get; init; }

    /// Tests only: where a client takes its 4-byte masking keys. Default: RandomNumberGenerator, in batches.
    public Func<byte[]>? MaskKeySource { get; init; }
}
