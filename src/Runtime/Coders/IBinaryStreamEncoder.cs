namespace Annotated.WebSockets;

/// <summary>Encodes a <typeparamref name="T"/> by writing a binary message to a stream.</summary>
/// <typeparam name="T">The type sent with <c>SendObjectAsync</c> or returned by a message handler.</typeparam>
public interface IBinaryStreamEncoder<in T> : ICoder
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="stream"/>; the message ends when the task completes.</summary>
    /// <param name="value">The object to send.</param>
    /// <param name="stream">The message being sent.</param>
    /// <exception cref="EncodeException">The value cannot be encoded.</exception>
    ValueTask EncodeAsync(T value, Stream stream);
}
