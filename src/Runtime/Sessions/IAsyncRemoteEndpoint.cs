namespace Annotated.WebSockets;

/// <summary>
/// Sends to the peer without waiting: each call returns at once; the returned task (or the callback)
/// reports completion, which happens on another thread. Sends are ordered like those of
/// <see cref="IBasicRemoteEndpoint"/>, with which they share the connection.
/// </summary>
public interface IAsyncRemoteEndpoint : IRemoteEndpoint
{
    /// <summary>
    /// How long a send may take before it fails with a <see cref="TimeoutException"/>; zero or negative for no
    /// limit. Applies to sends started after it is set. Starts at <see cref="WebSocketSessionOptions.AsyncSendTimeout"/> (no limit by default).
    /// </summary>
    TimeSpan SendTimeout { get; set; }

    /// <summary>Sends a whole text message.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <returns>A task that completes when the message is written; faulted with <see cref="TimeoutException"/> after <see cref="SendTimeout"/>.</returns>
    Task SendTextAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole text message given as its UTF-8 bytes, which go out as they are (no transcoding).</summary>
    /// <param name="text">The text; do not change its bytes until the task completes.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <returns>A task that completes when the message is written; faulted with <see cref="TimeoutException"/> after <see cref="SendTimeout"/>.</returns>
    Task SendTextAsync(Utf8Text text, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole binary message.</summary>
    /// <param name="data">The bytes; do not change them until the task completes.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <returns>A task that completes when the message is written; faulted with <see cref="TimeoutException"/> after <see cref="SendTimeout"/>.</returns>
    Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Sends an object, encoded as <see cref="IBasicRemoteEndpoint.SendObjectAsync"/> does.</summary>
    /// <param name="value">The object.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <returns>A task that completes when the message is written; faulted with <see cref="EncodeException"/> when it cannot be encoded.</returns>
    Task SendObjectAsync(object value, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole text message and reports the outcome to <paramref name="completed"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="completed">Called once with the result, on another thread.</param>
    void SendText(string text, Action<SendResult> completed);

    /// <summary>Sends a whole text message given as its UTF-8 bytes and reports the outcome to <paramref name="completed"/>.</summary>
    /// <param name="text">The text; do not change its bytes until the callback runs.</param>
    /// <param name="completed">Called once with the result, on another thread.</param>
    void SendText(Utf8Text text, Action<SendResult> completed);

    /// <summary>Sends a whole binary message and reports the outcome to <paramref name="completed"/>.</summary>
    /// <param name="data">The bytes; do not change them until the callback runs.</param>
    /// <param name="completed">Called once with the result, on another thread.</param>
    void SendBinary(ReadOnlyMemory<byte> data, Action<SendResult> completed);

    /// <summary>Sends an object and reports the outcome (an <see cref="EncodeException"/> when it cannot be encoded) to <paramref name="completed"/>.</summary>
    /// <param name="value">The object.</param>
    /// <param name="completed">Called once with the result, on another thread.</param>
    void SendObject(object value, Action<SendResult> completed);
}
