namespace Annotated.WebSockets;

/// <summary>Decodes a text message from a reader that yields it while it arrives.</summary>
/// <typeparam name="T">The type handlers receive.</typeparam>
public interface ITextStreamDecoder<T> : ICoder
{
    /// <summary>Decodes the message read from <paramref name="reader"/>.</summary>
    /// <param name="reader">The message text; it ends where the message ends.</param>
    /// <exception cref="DecodeException">The text cannot be decoded.</exception>
    ValueTask<T> DecodeAsync(TextReader reader);
}
