using System.Buffers;

namespace Annotated.WebSockets.Protocol;

/// Writes frames straight into the transport's buffer (an IBufferWriter such as the PipeWriter): the header, then
/// the payload in pieces, masked in place in the destination memory when a masking key is given, so a client never
/// copies a payload twice. The caller decides when to flush.
internal static class FrameWriter
{
    /// The largest piece of payload written per call, so large messages can be flushed as they go.
    public const int MaxChunkSize = 64 * 1024;

    public static int WriteHeader(IBufferWriter<byte> output, WebSocketOpcode opcode, bool fin, bool rsv1, long payloadLength, int? maskKey)
    {
        int size = FrameHeader.GetHeaderSize(payloadLength, maskKey.HasValue);
        Span<byte> span = output.GetSpan(size);
        FrameHeader.Write(span, fin, rsv1, opcode, payloadLength, maskKey);
        output.Advance(size);
        return size;
    }

    /// Copies (and masks) up to <see cref="MaxChunkSize"/> bytes of <paramref name="payload"/>; returns how many.
    public static int WritePayloadChunk(IBufferWriter<byte> output, ReadOnlySpan<byte> payload, int? maskKey, ref int maskOffset)
    {
        Span<byte> destination = output.GetSpan(Math.Min(payload.Length, MaxChunkSize));
        int count = Math.Min(Math.Min(destination.Length, payload.Length), MaxChunkSize);
        if (maskKey is int key)
        {
            maskOffset = Masking.Apply(payload[..count], destination, key, maskOffset);   // copy and mask in one pass
        }
        else
        {
            payload[..count].CopyTo(destination);
        }

        output.Advance(count);
        return count;
    }
}
