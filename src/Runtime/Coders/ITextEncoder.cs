namespace Annotated.WebSockets;

/// <summary>Encodes a <typeparamref name="T"/> as a whole text message.</summary>
/// <typeparam name="T">The type sent with <c>SendObjectAsync</c> or returned by a message handler.</typeparam>
public interface ITextEncoder<in T> : ICoder
{
    /// <summary>Encodes <paramref name="value"/>.</summary>
    /// <param name="value">The object to send.</param>
    /// <exception cref="EncodeException">The value cannot be encoded.</exception>
    string Encode(T value);
}
