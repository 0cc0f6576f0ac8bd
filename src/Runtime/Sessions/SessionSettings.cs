namespace Annotated.WebSockets.Sessions;

/// <summary>
/// The container-wide limits a session applies (the server and client containers build one from their
/// public options), kept apart from the public options so the session layer does not depend on either
/// container.
/// </summary>
internal sealed class SessionSettings
{
    /// <summary>Limit of a whole text message when the handler sets none.</summary>
    public required long MaxTextMessageBufferSize { get; init; }

    /// <summary>Limit of a whole binary message when the handler sets none.</summary>
    public required long MaxBinaryMessageBufferSize { get; init; }

    /// <summary>Time without traffic after which the session is closed; zero or negative for none.</summary>
    public TimeSpan IdleTimeout { get; init; }

    /// <summary>Interval of keep-alive pings; zero or negative for none.</summary>
    public TimeSpan KeepAlivePingInterval { get; init; }

    /// <summary>Default timeout of asynchronous sends; zero or negative for none.</summary>
    public TimeSpan SendTimeout { get; init; }

    /// <summary>Bytes a batching session holds before it sends the batch without waiting for a flush.</summary>
    public long MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>How long the engine waits for the peer's close frame; bounds how long CloseAsync waits.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most bytes of accepted, not yet written messages a session holds (the one being written included);
    /// further senders wait for room. A single larger message is let in when the queue is empty.
    /// </summary>
    public long MaxQueuedSendBytes { get; init; } = 1024 * 1024;

    /// <summary>The most accepted, not yet written messages a session holds; further senders wait for room.</summary>
    public int MaxQueuedSendMessages { get; init; } = 1024;

    /// <summary>
    /// How long the transport may take none of the queued bytes before the queued and waiting sends fail and the
    /// session is closed with <see cref="SendQueueTimeoutCloseCode"/>; <see cref="Timeout.InfiniteTimeSpan"/> for never.
    /// </summary>
    public TimeSpan SendQueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The close code of a session closed by <see cref="SendQueueTimeout"/> (1008 or 1011).</summary>
    public CloseCode SendQueueTimeoutCloseCode { get; init; } = CloseCode.ViolatedPolicy;
}
