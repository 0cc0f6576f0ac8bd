using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets;

/// <summary>
/// A whole text or binary message made once to be sent to many sessions: encoded once, and framed once for all
/// server sessions (a server frame is unmasked, so its bytes are the same for every peer). Sessions that negotiated
/// permessage-deflate with <c>server_no_context_takeover</c> share one compressed frame per compression level, made
/// on first need; a session with context takeover compresses the message with its own deflater, and a client session
/// masks it with its own key, as for any message. Immutable and safe to send from any thread to any number of
/// sessions.
/// </summary>
/// <remarks>
/// Made with <see cref="FromText(string)"/>, <see cref="FromText(Utf8Text)"/>, <see cref="FromBinary"/> or
/// <see cref="FromJson{T}"/>; an endpoint's own encoders make one through
/// <see cref="Dispatch.EndpointDispatcher.TryEncodeObjectAsync"/>. The message holds its payload once (in its frame).
/// </remarks>
public sealed class PreparedMessage
{
    private PreparedMessage(PreparedFrame frame) => Frame = frame;

    /// <summary>Whether the message is text or binary.</summary>
    public MessageKind Kind => (MessageKind)Frame.Kind;

    /// <summary>The length of the payload in bytes (uncompressed: as the application made it).</summary>
    public int Length => Frame.PayloadLength;

    /// <summary>The payload: the UTF-8 text or the binary data, uncompressed. Read-only; it is what every peer receives.</summary>
    public ReadOnlyMemory<byte> Payload => Frame.Payload;

    /// <summary>The message framed for server sessions, with its shared compressed forms.</summary>
    internal PreparedFrame Frame { get; }

    /// <summary>Makes a text message from <paramref name="text"/>, encoded as UTF-8 once (a lone surrogate becomes U+FFFD).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The message.</returns>
    public static PreparedMessage FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var frame = new PreparedFrame(WebSocketMessageKind.Text, Encoding.UTF8.GetByteCount(text));
        Encoding.UTF8.GetBytes(text, frame.PayloadBuffer);
        return new PreparedMessage(frame);
    }

    /// <summary>Makes a text message from UTF-8 text (copied: the caller may reuse its buffer).</summary>
    /// <param name="text">The text, valid UTF-8 by construction.</param>
    /// <returns>The message.</returns>
    public static PreparedMessage FromText(Utf8Text text) => Copy(WebSocketMessageKind.Text, text.Span);

    /// <summary>Makes a binary message (the bytes are copied: the caller may reuse its buffer).</summary>
    /// <param name="data">The message's bytes.</param>
    /// <returns>The message.</returns>
    public static PreparedMessage FromBinary(ReadOnlyMemory<byte> data) => Copy(WebSocketMessageKind.Binary, data.Span);

    /// <summary>Makes a text message of <paramref name="value"/> serialized once as UTF-8 JSON.</summary>
    /// <typeparam name="T">The type of the value.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="typeInfo">The serialization metadata of <typeparamref name="T"/>, normally from a source-generated <c>JsonSerializerContext</c>.</param>
    /// <returns>The message.</returns>
    /// <exception cref="EncodeException">The serializer failed.</exception>
    public static PreparedMessage FromJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        byte[] json;
        try
        {
            json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new EncodeException(value, $"Serializing a {typeof(T).Name} as JSON failed: {ex.Message}", ex);
        }

        return Copy(WebSocketMessageKind.Text, json);
    }

    private static PreparedMessage Copy(WebSocketMessageKind kind, ReadOnlySpan<byte> payload)
    {
        var frame = new PreparedFrame(kind, payload.Length);
        payload.CopyTo(frame.PayloadBuffer);
        return new PreparedMessage(frame);
    }
}
