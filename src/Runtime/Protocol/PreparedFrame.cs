using System.IO.Compression;

namespace Annotated.WebSockets.Protocol;

/// A whole data message framed once for many server connections. A server frame is unmasked (RFC 6455 §5.1), so the
/// same bytes fit every connection: the uncompressed frame (header and payload in one array, made with the message,
/// so the payload is never held twice) and, per compression level and window, one compressed frame for the
/// connections that compress each message on its own (permessage-deflate with no context takeover for the server,
/// RFC 7692 §7.1.1.1: a fresh deflater per message, so the output depends only on the payload, the level and the
/// window, see <see cref="PerMessageDeflateCompressor"/>). A connection with context takeover compresses with its own
/// deflater (its window differs), and a client masks with its own keys: both take <see cref="Payload"/>.
///
/// Immutable once made; the compressed frames are made once each, on first need, under a lock (a broadcast to many
/// members asks for the same one from many threads, and compressing is what we save).
internal sealed class PreparedFrame
{
    // CompressionLevel is Optimal, Fastest, NoCompression, SmallestSize (0..3): slots 0..3 for a 15-bit window; a
    // window of 9..14 bits compresses at one fixed level whatever the connection's (ReducedWindowDeflater): slots 4..9.
    private const int CompressionLevels = 4;
    private const int Slots = CompressionLevels + 6;

    private readonly byte[] _frame;
    private readonly int _headerSize;
    private readonly object _compressLock = new();
    private byte[]?[]? _compressed;   // by slot (level, window); written under _compressLock
    private int _compressions;

    /// Makes the frame's array for a payload of <paramref name="payloadLength"/> bytes; the caller fills
    /// <see cref="PayloadBuffer"/> before the frame is used.
    public PreparedFrame(WebSocketMessageKind kind, int payloadLength)
    {
        if (kind is not (WebSocketMessageKind.Text or WebSocketMessageKind.Binary))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        Kind = kind;
        _headerSize = FrameHeader.GetHeaderSize(payloadLength, masked: false);
        _frame = GC.AllocateUninitializedArray<byte>(checked(_headerSize + payloadLength));
        FrameHeader.Write(_frame, fin: true, rsv1: false, (WebSocketOpcode)kind, payloadLength, maskKey: null);
    }

    public WebSocketMessageKind Kind { get; }

    public int PayloadLength => _frame.Length - _headerSize;

    /// The message as an application sent it (uncompressed).
    public ReadOnlyMemory<byte> Payload => _frame.AsMemory(_headerSize);

    /// The server's uncompressed frame: FIN, RSV1 clear, unmasked.
    public ReadOnlyMemory<byte> Frame => _frame;

    /// How many compressed frames were made (tests: a shared one is made once).
    public int Compressions => Volatile.Read(ref _compressions);

    /// Where the maker writes the payload; only while the frame is being made.
    internal Span<byte> PayloadBuffer => _frame.AsSpan(_headerSize);

    /// The server's compressed frame at <paramref name="level"/> and <paramref name="windowBits"/> (FIN, RSV1 set,
    /// unmasked), as a server connection with no context takeover would write it; made on the first call for them.
    public ReadOnlyMemory<byte> GetCompressedFrame(CompressionLevel level, int windowBits = 15)
    {
        if ((uint)level >= CompressionLevels)
        {
            throw new ArgumentOutOfRangeException(nameof(level));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, 15);
        int index = windowBits == 15 ? (int)level : CompressionLevels + windowBits - 9;

        if (Volatile.Read(ref _compressed) is { } made && Volatile.Read(ref made[index]) is { } frame)
        {
            return frame;
        }

        lock (_compressLock)
        {
            byte[]?[] compressed = _compressed ??= new byte[Slots][];
            if (compressed[index] is { } existing)
            {
                return existing;
            }

            byte[] created = Compress(level, windowBits);
            Interlocked.Increment(ref _compressions);
            Volatile.Write(ref compressed[index], created);
            return created;
        }
    }

    private byte[] Compress(CompressionLevel level, int windowBits)
    {
        // The same compressor and calls as the engine's (a fresh deflater per message), so the bytes are the ones the
        // engine would write for this message.
        using var compressor = new PerMessageDeflateCompressor(noContextTakeover: true, level, windowBits);
        ReadOnlySpan<byte> compressed = compressor.Compress(Payload, endOfMessage: true).Span;
        int headerSize = FrameHeader.GetHeaderSize(compressed.Length, masked: false);
        byte[] frame = GC.AllocateUninitializedArray<byte>(headerSize + compressed.Length);
        FrameHeader.Write(frame, fin: true, rsv1: true, (WebSocketOpcode)Kind, compressed.Length, maskKey: null);
        compressed.CopyTo(frame.AsSpan(headerSize));
        return frame;
    }
}
