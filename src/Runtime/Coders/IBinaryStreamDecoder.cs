namespace Annotated.WebSockets;

/// <summary>Decodes a binary message from a stream that yields it while it arrives.</summary>
/// <typeparam name="T">The type handlers receive.</typeparam>
public interface IBinaryStreamDecoder<T> : ICoder
{
    /// <summary>Decodes the message read from <paramref name="stream"/>.</summary>
    /// <param name="stream">The message bytes; the stream ends where the message ends.</param>
    /// <exception cref="DecodeException">The bytes cannot be decoded.</exception>
    ValueTask<T> DecodeAsync(Stream stream);
}
