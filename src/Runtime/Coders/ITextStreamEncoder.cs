namespace Annotated.WebSockets;

/// <summary>Encodes a <typeparamref name="T"/> by writing a text message to a writer.</summary>
/// <typeparam name="T">The type sent with <c>SendObjectAsync</c> or returned by a message handler.</typeparam>
public interface ITextStreamEncoder<in T> : ICoder
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="writer"/>; the message ends when the task completes.</summary>
    /// <param name="value">The object to send.</param>
    /// <param name="writer">The message being sent.</param>
    /// <exception cref="EncodeException">The value cannot be encoded.</exception>
    ValueTask EncodeAsync(T value, TextWriter writer);
}
