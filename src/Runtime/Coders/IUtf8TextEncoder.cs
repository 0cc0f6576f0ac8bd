namespace Annotated.WebSockets;

/// <summary>
/// Encodes a <typeparamref name="T"/> as a whole text message given as UTF-8 bytes, which are sent as they are
/// (a System.Text.Json encoder, for one, writes UTF-8). A coder may implement both this and
/// <see cref="ITextEncoder{T}"/>: this one is used.
/// </summary>
/// <typeparam name="T">The type sent with <c>SendObjectAsync</c> or returned by a message handler.</typeparam>
public interface IUtf8TextEncoder<in T> : ICoder
{
    /// <summary>Encodes <paramref name="value"/>.</summary>
    /// <param name="value">The object to send.</param>
    /// <returns>The text; its bytes must stay unchanged until the message has been sent.</returns>
    /// <exception cref="EncodeException">The value cannot be encoded.</exception>
    Utf8Text EncodeUtf8(T value);
}
