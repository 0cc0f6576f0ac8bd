namespace Annotated.WebSockets;

/// <summary>The peer of a session, as seen by the endpoint: what both remote flavours can do.</summary>
public interface IRemoteEndpoint
{
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
