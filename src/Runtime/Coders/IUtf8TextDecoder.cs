namespace Annotated.WebSockets;

/// <summary>
/// Decodes a whole text message into a <typeparamref name="T"/> from its UTF-8 bytes, with no UTF-16 string in
/// between (a System.Text.Json decoder, for one, reads UTF-8). When a handler's decoders include one, the message
/// reaches them as <see cref="Utf8Text"/>; a decoder of the same endpoint that takes only a string gets the text
/// decoded once. A coder may implement both this and <see cref="ITextDecoder{T}"/>: this one is used.
/// </summary>
/// <typeparam name="T">The type handlers receive.</typeparam>
public interface IUtf8TextDecoder<out T> : ICoder
{
    /// <summary>Whether this decoder takes <paramref name="text"/>; decoders are tried in declaration order.</summary>
    /// <param name="text">The message; valid only during the call.</param>
    /// <returns>True when <see cref="Decode"/> should be called.</returns>
    bool WillDecode(Utf8Text text);

    /// <summary>Decodes <paramref name="text"/>.</summary>
    /// <param name="text">The message; valid only during the call, so the result must not keep it.</param>
    /// <returns>The decoded value.</returns>
    /// <exception cref="DecodeException">The text cannot be decoded.</exception>
    T Decode(Utf8Text text);
}
