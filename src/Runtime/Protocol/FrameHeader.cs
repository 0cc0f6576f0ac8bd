using System.Buffers;
using System.Buffers.Binary;

namespace Annotated.WebSockets.Protocol;

/// The fixed part of an RFC 6455 §5.2 frame: FIN, RSV1–3, opcode, MASK, the 7/16/64-bit payload length and the
/// masking key. Parsing works on whatever has arrived (a header split across reads simply reports "not yet").
internal readonly struct FrameHeader
{
    /// 2 + 8 (64-bit length) + 4 (mask key).
    public const int MaxSize = 14;

    public FrameHeader(bool fin, byte rsv, WebSocketOpcode opcode, bool masked, long payloadLength, int maskKey)
    {
        Fin = fin;
        Rsv = rsv;
        Opcode = opcode;
        Masked = masked;
        PayloadLength = payloadLength;
        MaskKey = maskKey;
    }

    public bool Fin { get; }

    /// RSV1..RSV3 as the three bits 0b100 (RSV1), 0b010, 0b001.
    public byte Rsv { get; }

    public bool Rsv1 => (Rsv & 0b100) != 0;

    /// The raw opcode; may hold a reserved value that the engine then rejects.
    public WebSocketOpcode Opcode { get; }

    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    public bool Masked { get; }

    public long PayloadLength { get; }

    /// The 4 key bytes as they appear on the wire, read little-endian (see <see cref="Masking"/>).
    public int MaskKey { get; }

    public static int GetHeaderSize(long payloadLength, bool masked) =>
        (payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10) + (masked ? 4 : 0);

    /// Parses a header from the start of <paramref name="buffer"/>. false: more bytes are needed.
    /// A 64-bit length with its most significant bit set is a protocol error (§5.2), thrown here.
    public static bool TryParse(ReadOnlySequence<byte> buffer, out FrameHeader header, out int headerSize)
    {
        header = default;
        headerSize = 0;
        if (buffer.Length < 2)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxSize];
        int available = (int)Math.Min(buffer.Length, MaxSize);
        if (buffer.FirstSpan.Length >= available)
        {
            buffer.FirstSpan[..available].CopyTo(bytes);
        }
        else
        {
            buffer.Slice(0, available).CopyTo(bytes);
        }

        return TryParse(bytes[..available], out header, out headerSize);
    }

    public static bool TryParse(ReadOnlySpan<byte> bytes, out FrameHeader header, out int headerSize)
    {
        header = default;
        headerSize = 0;
        if (bytes.Length < 2)
        {
            return false;
        }

        byte b0 = bytes[0];
        byte b1 = bytes[1];
        bool masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        int size = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (bytes.Length < size)
        {
            return false;
        }

        long payloadLength;
        int offset = 2;
        if (length7 == 126)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            offset = 4;
        }
        else if (length7 == 127)
        {
            ulong length64 = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (length64 > long.MaxValue)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "The most significant bit of a 64-bit payload length must be 0.");
            }

            payloadLength = (long)length64;
            offset = 10;
        }
        else
        {
            payloadLength = length7;
        }

        int maskKey = masked ? BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]) : 0;
        header = new FrameHeader((b0 & 0x80) != 0, (byte)((b0 >> 4) & 0x7), (WebSocketOpcode)(b0 & 0xF), masked, payloadLength, maskKey);
        headerSize = size;
        return true;
    }

    /// Writes the header into <paramref name="destination"/> (at least <see cref="GetHeaderSize"/> bytes) and
    /// returns its size.
    public static int Write(Span<byte> destination, bool fin, bool rsv1, WebSocketOpcode opcode, long payloadLength, int? maskKey)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (byte)opcode);
        byte maskBit = maskKey.HasValue ? (byte)0x80 : (byte)0;
        int offset;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(maskBit | (byte)payloadLength);
            offset = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            offset = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            offset = 10;
        }

        if (maskKey.HasValue)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[offset..], maskKey.Value);
            offset += 4;
        }

        return offset;
    }
}
