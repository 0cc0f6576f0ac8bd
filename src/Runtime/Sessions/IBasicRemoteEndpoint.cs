namespace Annotated.WebSockets;

/// <summary>
/// Sends to the peer; each returned task completes when the message has been written to the connection.
/// Sends on one session are ordered; concurrent callers wait their turn. While a message sent in parts
/// (partial sends, <see cref="GetSendStream"/>, <see cref="GetSendWriter"/>) is unfinished, other messages
/// wait until its last part has been sent.
/// </summary>
public interface IBasicRemoteEndpoint : IRemoteEndpoint
{
    /// <summary>Sends a whole text message.</summary>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendTextAsync(string text, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole text message given as its UTF-8 bytes, which go out as they are (no transcoding).</summary>
    /// <param name="text">The text; the caller may reuse its memory once the task completes.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendTextAsync(Utf8Text text, CancellationToken cancellationToken = default);

    /// <summary>Sends a whole binary message.</summary>
    /// <param name="data">The bytes; the caller may reuse the memory once the task completes.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a whole message made once for many sessions (<see cref="PreparedMessage"/>): its frame, already encoded,
    /// and on a server its compressed form when the session shares it, go out as they are.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendAsync(PreparedMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends an object: with the first of the endpoint's encoders that accepts its type, otherwise in the
    /// built-in form (bool as <c>true</c>/<c>false</c>, numbers in invariant culture, char, string and <see cref="Utf8Text"/> as text,
    /// <c>byte[]</c> and <c>ReadOnlyMemory&lt;byte&gt;</c> as binary).
    /// </summary>
    /// <param name="value">The object to send.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    /// <exception cref="EncodeException">No encoder applies to the value, or the encoder failed.</exception>
    Task SendObjectAsync(object value, CancellationToken cancellationToken = default);

    /// <summary>Sends one part of a text message; the message ends with the part whose <paramref name="isLast"/> is true.</summary>
    /// <param name="fragment">The part.</param>
    /// <param name="isLast">Whether this part ends the message.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendTextAsync(string fragment, bool isLast, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends one part of a text message given as UTF-8 bytes; the message ends with the part whose
    /// <paramref name="isLast"/> is true.
    /// </summary>
    /// <param name="fragment">The part; the caller may reuse its memory once the task completes.</param>
    /// <param name="isLast">Whether this part ends the message.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendTextAsync(Utf8Text fragment, bool isLast, CancellationToken cancellationToken = default);

    /// <summary>Sends one part of a binary message; the message ends with the part whose <paramref name="isLast"/> is true.</summary>
    /// <param name="fragment">The part.</param>
    /// <param name="isLast">Whether this part ends the message.</param>
    /// <param name="cancellationToken">Cancels the wait for the send.</param>
    Task SendBinaryAsync(ReadOnlyMemory<byte> fragment, bool isLast, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a stream that sends one binary message as it is written (in parts when it outgrows its buffer);
    /// disposing it ends the message. Nothing written means no message.
    /// </summary>
    /// <returns>A write-only stream.</returns>
    Stream GetSendStream();

    /// <summary>
    /// Returns a writer that sends one text message as it is written; disposing it ends the message.
    /// Nothing written means no message.
    /// </summary>
    /// <returns>A writer encoding UTF-8.</returns>
    TextWriter GetSendWriter();
}
