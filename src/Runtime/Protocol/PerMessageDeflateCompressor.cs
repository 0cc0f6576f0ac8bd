using System.IO.Compression;

namespace Annotated.WebSockets.Protocol;

/// The sending half of permessage-deflate (RFC 7692 §7.2.1) on System.IO.Compression's raw deflate: each message
/// part is written and sync-flushed (which ends the output with 0x00 0x00 0xFF 0xFF); on the last part of a message
/// those four bytes are removed. With no context takeover for our direction the deflater is recreated per message,
/// otherwise it keeps its LZ77 window across messages. DeflateStream always uses a 15-bit window (no window-size
/// control on net8.0 or net10.0); a smaller agreed window (a client's server_max_window_bits of 9–14) goes to
/// <see cref="ReducedWindowDeflater"/>, which honours it at zlib's default level instead of <see cref="Level"/>.
internal sealed class PerMessageDeflateCompressor : IDisposable
{
    private readonly bool _noContextTakeover;
    private readonly CompressionLevel _level;
    private readonly PooledSinkStream _sink = new();
    private readonly ReducedWindowDeflater? _reducedWindow;
    private DeflateStream? _deflate;

    /// <paramref name="windowBits"/>: the LZ77 window agreed for our direction, 9..15.
    public PerMessageDeflateCompressor(bool noContextTakeover, CompressionLevel level, int windowBits = 15)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, 15);
        _noContextTakeover = noContextTakeover;
        _level = level;
        WindowBits = windowBits;
        if (windowBits < 15)
        {
            _reducedWindow = new ReducedWindowDeflater(windowBits, noContextTakeover);
        }
    }

    /// True when each message is compressed with a fresh deflater: the output then depends only on the message,
    /// <see cref="Level"/> and <see cref="WindowBits"/>, so connections alike in both may share one compressed frame
    /// (PreparedFrame).
    public bool NoContextTakeover => _noContextTakeover;

    /// The level of a 15-bit window; a smaller window always compresses at zlib's default level (6).
    public CompressionLevel Level => _level;

    public int WindowBits { get; }

    /// Compresses one part of a message. The result is valid until the next call.
    public ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> payload, bool endOfMessage)
    {
        if (_reducedWindow is not null)
        {
            return _reducedWindow.Compress(payload, endOfMessage);
        }

        _sink.Buffer.Clear();
        _deflate ??= new DeflateStream(_sink, _level, leaveOpen: true);
        if (!payload.IsEmpty)
        {
            _deflate.Write(payload.Span);
        }

        _deflate.Flush();
        if (endOfMessage)
        {
            ReadOnlySpan<byte> written = _sink.Buffer.WrittenSpan;
            if (written.Length >= 4 && written[^4..].SequenceEqual(PerMessageDeflateDecompressor.Tail))
            {
                _sink.Buffer.Shrink(4);
            }

            if (_sink.Buffer.Length == 0)
            {
                // §7.2.3.6: an empty message compresses to a single 0x00 byte (an empty non-final stored block once
                // the receiver appends the tail).
                _sink.Buffer.Write([0x00]);
            }

            if (_noContextTakeover)
            {
                DisposeDeflater();
            }
        }

        return _sink.Buffer.WrittenMemory;
    }

    public void Dispose()
    {
        _reducedWindow?.Dispose();
        DisposeDeflater();
        _sink.Buffer.Release();
    }

    /// Disposing a DeflateStream finishes the stream (a final block); those bytes belong to no message.
    private void DisposeDeflater()
    {
        if (_deflate is null)
        {
            return;
        }

        _sink.Discarding = true;
        try
        {
            _deflate.Dispose();
        }
        finally
        {
            _sink.Discarding = false;
            _deflate = null;
        }
    }
}
