namespace Annotated.WebSockets;

/// <summary>
/// Sends to the peer; each returned task completes when the message has been written to the connection.
/// Sends on one session are ordered; concurrent callers wait their turn.
/// </summary>
public interface IBasicRemoteEndpoint : IRemoteEndpoint
{
    /// <summary>Sends a whole text message.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendTextAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole binary message.</summary>
    /// <param name="data">The bytes; the caller may reuse the memory once the task completes.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
