using System.Buffers;

namespace Annotated.WebSockets.Protocol;

/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/>: whole messages being reassembled and
/// compressor output live here, so a steady stream of messages allocates nothing. Growth is explicit so the caller
/// can check a size limit before taking more memory.
internal sealed class PooledByteBuffer : IDisposable
{
    private byte[] _array = [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, Length);

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, Length);

    /// A writable span of at least <paramref name="sizeHint"/> bytes after the written ones.
    public Span<byte> GetSpan(int sizeHint)
    {
        Ensure(sizeHint);
        return _array.AsSpan(Length);
    }

    /// Like <see cref="GetSpan"/>, as memory (for reads that complete after an await).
    public Memory<byte> GetMemory(int sizeHint)
    {
        Ensure(sizeHint);
        return _array.AsMemory(Length);
    }

    public void Advance(int count) => Length += count;

    public void Write(ReadOnlySpan<byte> data)
    {
        data.CopyTo(GetSpan(data.Length));
        Length += data.Length;
    }

    public void Shrink(int count) => Length -= count;

    public void Clear() => Length = 0;

    /// Clears and gives the memory back to the pool (an idle connection should not hold a large message buffer).
    public void Release()
    {
        Length = 0;
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }

    public void Dispose() => Release();

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - Length >= sizeHint)
        {
            return;
        }

        int newSize = (int)Math.Min(Array.MaxLength, Math.Max((long)Length + sizeHint, Math.Max(256, (long)_array.Length * 2)));
        byte[] next = ArrayPool<byte>.Shared.Rent(newSize);
        _array.AsSpan(0, Length).CopyTo(next);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = next;
    }
}
