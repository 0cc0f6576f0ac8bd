namespace Annotated.WebSockets;

/// <summary>The peer of a session, as seen by the endpoint: what both remote flavours can do.</summary>
public interface IRemoteEndpoint
{
    /// <summary>
    /// Whether messages may be held back and sent together. Off by default. While it is on, a whole-message
    /// send completes once the message is in the batch; the batch goes out on <see cref="FlushBatchAsync"/>,
    /// when it grows past the session's send buffer, or when batching is turned off (which sends the batch at once).
    /// </summary>
    /// <exception cref="IOException">Turning batching off could not send the pending batch.</exception>
    bool BatchingAllowed { get; set; }

    /// <summary>Sends every batched message now. Does nothing when nothing is batched.</summary>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <returns>A task that completes when the batch has been written.</returns>
    Task FlushBatchAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends a ping carrying <paramref name="applicationData"/> (at most 125 bytes).</summary>
    /// <param name="applicationData">The ping payload.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <exception cref="ArgumentException">The payload is longer than 125 bytes.</exception>
    Task SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default);

    /// <summary>Sends an unsolicited pong carrying <paramref name="applicationData"/> (at most 125 bytes).</summary>
    /// <param name="applicationData">The pong payload.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <exception cref="ArgumentException">The payload is longer than 125 bytes.</exception>
    Task SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken = default);
}
