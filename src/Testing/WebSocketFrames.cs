using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Testing;

/// <summary>
/// Builds the bytes of single frames (RFC 6455 §5.2) for <see cref="WebSocketTestClient.SendRawAsync"/>, to test how
/// the server answers protocol violations: an unmasked client frame (1002), invalid UTF-8 (1007), a reserved opcode or
/// RSV bit, a fragmented control frame. Nothing is checked: any combination can be built.
/// </summary>
public static class WebSocketFrames
{
    /// <summary>Opcode of a continuation frame.</summary>
    public const byte Continuation = 0x0;

    /// <summary>Opcode of a text frame.</summary>
    public const byte TextOpcode = 0x1;

    /// <summary>Opcode of a binary frame.</summary>
    public const byte BinaryOpcode = 0x2;

    /// <summary>Opcode of a close frame.</summary>
    public const byte CloseOpcode = 0x8;

    /// <summary>Opcode of a ping frame.</summary>
    public const byte PingOpcode = 0x9;

    /// <summary>Opcode of a pong frame.</summary>
    public const byte PongOpcode = 0xA;

    /// <summary>Builds one frame.</summary>
    /// <param name="opcode">The opcode (4 bits; reserved values are allowed).</param>
    /// <param name="payload">The payload, before masking.</param>
    /// <param name="fin">The FIN bit: false for a fragment that is not the last.</param>
    /// <param name="masked">Whether to mask it, as a client must (false for an unmasked client frame: 1002).</param>
    /// <param name="rsv">The RSV1–RSV3 bits, as the 3 low bits (4 = RSV1).</param>
    /// <returns>The frame's bytes.</returns>
    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool masked = true, byte rsv = 0)
    {
        var length = payload.Length;
        var lengthBytes = length < 126 ? 0 : length <= ushort.MaxValue ? 2 : 8;
        var headerLength = 2 + lengthBytes + (masked ? 4 : 0);
        var frame = new byte[headerLength + length];
        frame[0] = (byte)((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
        var maskBit = masked ? 0x80 : 0;
        if (lengthBytes == 0)
        {
            frame[1] = (byte)(maskBit | length);
        }
        else if (lengthBytes == 2)
        {
            frame[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)length);
        }
        else
        {
            frame[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)length);
        }

        var body = frame.AsSpan(headerLength);
        payload.CopyTo(body);
        if (masked)
        {
            var key = frame.AsSpan(2 + lengthBytes, 4);
            RandomNumberGenerator.Fill(key);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= key[i & 3];
            }
        }

        return frame;
    }

    /// <summary>A text frame whose payload is <paramref name="utf8"/> as given (valid UTF-8 or not).</summary>
    /// <param name="utf8">The payload bytes.</param>
    /// <param name="fin">The FIN bit.</param>
    /// <param name="masked">Whether to mask it.</param>
    /// <returns>The frame's bytes.</returns>
    public static byte[] Text(ReadOnlySpan<byte> utf8, bool fin = true, bool masked = true) => Frame(TextOpcode, utf8, fin, masked);

    /// <summary>A text frame with <paramref name="text"/> encoded as UTF-8.</summary>
    /// <param name="text">The text.</param>
    /// <param name="fin">The FIN bit.</param>
    /// <param name="masked">Whether to mask it.</param>
    /// <returns>The frame's bytes.</returns>
    public static byte[] Text(string text, bool fin = true, bool masked = true) => Frame(TextOpcode, Encoding.UTF8.GetBytes(text), fin, masked);

    /// <summary>A binary frame.</summary>
    /// <param name="data">The payload.</param>
    /// <param name="fin">The FIN bit.</param>
    /// <param name="masked">Whether to mask it.</param>
    /// <returns>The frame's bytes.</returns>
    public static byte[] Binary(ReadOnlySpan<byte> data, bool fin = true, bool masked = true) => Frame(BinaryOpcode, data, fin, masked);

    /// <summary>A close frame with a code and a reason.</summary>
    /// <param name="code">The close code (any value, valid or not).</param>
    /// <param name="reason">The reason, encoded as UTF-8.</param>
    /// <param name="masked">Whether to mask it.</param>
    /// <returns>The frame's bytes.</returns>
    public static byte[] Close(int code, string reason = "", bool masked = true)
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(CloseOpcode, payload, fin: true, masked);
    }
}
