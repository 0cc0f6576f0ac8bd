namespace Annotated.WebSockets;

/// <summary>Decodes a whole text message into a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The type handlers receive.</typeparam>
public interface ITextDecoder<out T> : ICoder
{
    /// <summary>Whether this decoder takes <paramref name="text"/>; decoders are tried in declaration order.</summary>
    /// <param name="text">The message.</param>
    bool WillDecode(string text);

    /// <summary>Decodes <paramref name="text"/>.</summary>
    /// <param name="text">The message.</param>
    /// <exception cref="DecodeException">The text cannot be decoded.</exception>
    T Decode(string text);
}
