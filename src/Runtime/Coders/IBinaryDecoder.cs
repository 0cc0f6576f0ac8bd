namespace Annotated.WebSockets;

/// <summary>Decodes a whole binary message into a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The type handlers receive.</typeparam>
public interface IBinaryDecoder<out T> : ICoder
{
    /// <summary>Whether this decoder takes <paramref name="data"/>; decoders are tried in declaration order.</summary>
    /// <param name="data">The message; valid only during the call.</param>
    bool WillDecode(ReadOnlyMemory<byte> data);

    /// <summary>Decodes <paramref name="data"/>.</summary>
    /// <param name="data">The message; valid only during the call, so copy what the result keeps.</param>
    /// <exception cref="DecodeException">The bytes cannot be decoded.</exception>
    T Decode(ReadOnlyMemory<byte> data);
}
