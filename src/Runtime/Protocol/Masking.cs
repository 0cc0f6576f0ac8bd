using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Annotated.WebSockets.Protocol;

/// RFC 6455 §5.3 masking: byte i of the payload is XORed with key byte (i mod 4). Payloads arrive and leave in
/// chunks, so the caller carries the key offset (0..3) from one chunk to the next. The key is held as the 4 wire
/// bytes read little-endian, so rotating it by the offset turns chunk-local positions into payload positions, and
/// a vector of repeated keys XORs Vector&lt;byte&gt;.Count bytes at a time, then 8, then single bytes.
internal static class Masking
{
    /// XORs <paramref name="data"/> in place and returns the offset for the next chunk.
    public static int Apply(Span<byte> data, int maskKey, int offset)
    {
        if (data.IsEmpty)
        {
            return offset;
        }

        // Rotating right by 8*offset bits makes byte 0 of the rotated key equal key byte `offset`.
        uint key = BitOperations.RotateRight((uint)maskKey, (offset & 3) * 8);
        int i = 0;
        if (BitConverter.IsLittleEndian && Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var keyVector = Vector.AsVectorByte(new Vector<uint>(key));
            int last = data.Length - Vector<byte>.Count;
            for (; i <= last; i += Vector<byte>.Count)
            {
                Span<byte> slice = data.Slice(i, Vector<byte>.Count);
                (new Vector<byte>(slice) ^ keyVector).CopyTo(slice);
            }
        }

        if (data.Length - i >= sizeof(ulong))
        {
            ulong key64 = ((ulong)key << 32) | key;
            if (!BitConverter.IsLittleEndian)
            {
                key64 = BinaryPrimitives.ReverseEndianness(key64);
            }

            Span<ulong> words = MemoryMarshal.Cast<byte, ulong>(data[i..]);
            for (int w = 0; w < words.Length; w++)
            {
                words[w] ^= key64;
            }

            i += words.Length * sizeof(ulong);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= (byte)(key >> ((i & 3) * 8));
        }

        return (offset + data.Length) & 3;
    }
}
