using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Annotated.WebSockets.Protocol;

/// RFC 6455 §5.3 masking: byte i of the payload is XORed with key byte (i mod 4). Payloads arrive and leave in
/// chunks, so the caller carries the key offset (0..3) from one chunk to the next. The key is held as the 4 wire
/// bytes read little-endian, so rotating it by the offset turns chunk-local positions into payload positions, and a
/// vector of repeated keys XORs 32, then 16, then 8 bytes at a time, then single bytes.
///
/// The copying overload masks while it copies (one pass over the payload instead of a copy and then an in-place
/// XOR): the receiver unmasks straight out of the transport's buffer and a client masks straight into it, which is
/// what makes masked frame parsing run at memory speed (docs/PERFORMANCE.md).
internal static class Masking
{
    /// XORs <paramref name="data"/> in place and returns the offset for the next chunk.
    public static int Apply(Span<byte> data, int maskKey, int offset) => Apply(data, data, maskKey, offset);

    /// Writes <paramref name="source"/> XOR the key to the start of <paramref name="destination"/> (at least as long;
    /// it may be the same memory as the source, but must not overlap it otherwise) and returns the offset for the next
    /// chunk.
    public static int Apply(ReadOnlySpan<byte> source, Span<byte> destination, int maskKey, int offset)
    {
        int length = source.Length;
        if (length == 0)
        {
            return offset;
        }

        if (destination.Length < length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        // Rotating right by 8*offset bits makes byte 0 of the rotated key equal key byte `offset`.
        uint key = BitOperations.RotateRight((uint)maskKey, (offset & 3) * 8);
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        nuint i = 0;
        nuint n = (nuint)length;
        if (BitConverter.IsLittleEndian)
        {
            // Every step below advances by a multiple of 4, so the rotated key stays aligned with the positions.
            if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<byte>.Count)
            {
                Vector256<byte> keys = Vector256.Create(key).AsByte();
                nuint last = n - (nuint)Vector256<byte>.Count;
                for (; i <= last; i += (nuint)Vector256<byte>.Count)
                {
                    (Vector256.LoadUnsafe(ref src, i) ^ keys).StoreUnsafe(ref dst, i);
                }
            }

            if (Vector128.IsHardwareAccelerated && n - i >= (nuint)Vector128<byte>.Count)
            {
                Vector128<byte> keys = Vector128.Create(key).AsByte();
                nuint last = n - (nuint)Vector128<byte>.Count;
                for (; i <= last; i += (nuint)Vector128<byte>.Count)
                {
                    (Vector128.LoadUnsafe(ref src, i) ^ keys).StoreUnsafe(ref dst, i);
                }
            }

            ulong key64 = ((ulong)key << 32) | key;
            for (; n - i >= sizeof(ulong); i += sizeof(ulong))
            {
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i)) ^ key64);
            }
        }

        for (; i < n; i++)
        {
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ (byte)(key >> ((int)(i & 3) * 8)));
        }

        return (offset + length) & 3;
    }
}
