using System.Buffers;
using System.Text.Unicode;

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

    /// Encodes the start of <paramref name="text"/> as UTF-8 (lone surrogates as U+FFFD) into up to
    /// <see cref="MaxChunkSize"/> bytes of the output, masking them in place when a key is given; returns the bytes
    /// written and, in <paramref name="charsRead"/>, the characters consumed (never half a surrogate pair).
    /// <paramref name="bytesLeft"/> is what the frame still expects, so the output is asked for no more than that.
    public static int WriteTextChunk(IBufferWriter<byte> output, ReadOnlySpan<char> text, int bytesLeft, int? maskKey, ref int maskOffset, out int charsRead)
    {
        Span<byte> destination = output.GetSpan(Math.Min(bytesLeft, MaxChunkSize));
        destination = destination[..Math.Min(destination.Length, MaxChunkSize)];
        Utf8.FromUtf16(text, destination, out charsRead, out int written, replaceInvalidSequences: true, isFinalBlock: true);
        if (written == 0 || written > bytesLeft)
        {
            // Cannot happen with a count from Encoding.UTF8.GetByteCount; a frame whose length does not match its
            // payload must never reach the peer, so the caller aborts the connection.
            throw new IOException("The text does not match the UTF-8 byte count given for it.");
        }

        if (maskKey is int key)
        {
            maskOffset = Masking.Apply(destination[..written], key, maskOffset);
        }

        output.Advance(written);
        return written;
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
