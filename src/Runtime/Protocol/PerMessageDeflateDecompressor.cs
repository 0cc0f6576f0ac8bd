using System.IO.Compression;

namespace Annotated.WebSockets.Protocol;

/// The receiving half of permessage-deflate (RFC 7692 §7.2.2): compressed frame payloads are fed in as they arrive,
/// the 0x00 0x00 0xFF 0xFF tail is appended at the end of the message, and the output is pulled into buffers of the
/// caller's size, so a decompression bomb never inflates beyond what the caller is prepared to hold: the engine
/// stops it with 1009 as soon as the output passes the message limit. A 15-bit inflate window decodes data
/// produced with any smaller window, so the window parameters never constrain this side.
internal sealed class PerMessageDeflateDecompressor : IDisposable
{
    private readonly bool _noContextTakeover;
    private readonly FeedStream _feed = new();
    private DeflateStream? _inflate;

    public PerMessageDeflateDecompressor(bool noContextTakeover)
    {
        _noContextTakeover = noContextTakeover;
    }

    public static ReadOnlySpan<byte> Tail => [0x00, 0x00, 0xFF, 0xFF];

    private bool _messageHadInput;

    public void AddInput(ReadOnlySpan<byte> compressed)
    {
        _messageHadInput |= !compressed.IsEmpty;
        _feed.Add(compressed);
    }

    /// Marks the end of the message's compressed data (appends the tail removed by the sender). A message with
    /// no compressed bytes at all is taken as empty: zlib senders write 0x00 for an empty message, but some
    /// peers send nothing, and inflating a bare tail would desynchronise a context-takeover stream.
    public void AddTail()
    {
        if (_messageHadInput)
        {
            _feed.Add(Tail);
        }
    }

    /// Decompresses into <paramref name="output"/>; 0 means all input given so far has been consumed.
    public int Read(Span<byte> output)
    {
        _inflate ??= new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return _inflate.Read(output);
        }
        catch (InvalidDataException e)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.InvalidPayloadData, "The compressed message is not valid deflate data: " + e.Message);
        }
    }

    /// Called after a message has been fully drained: resets the window when the peer does not take over context,
    /// or when the peer ended its deflate stream with a BFINAL block (RFC 7692 §7.2.3.3). DeflateStream does not
    /// say it finished, but it shows: a drained, unfinished inflater always asks the feed for more input and gets
    /// nothing; a finished one stops asking, so the feed's last answer was data.
    /// A message with no compressed bytes at all (only the tail, an empty non-final stored block) cannot have
    /// ended the peer's stream, whatever the inflater's last read looked like, so it never resets the window.
    public void EndMessage()
    {
        bool peerMayHaveEndedStream = _messageHadInput && _inflate is not null && !_feed.LastReadWasEmpty;
        _messageHadInput = false;
        if (_noContextTakeover || peerMayHaveEndedStream)
        {
            _inflate?.Dispose();
            _inflate = null;
            _feed.Clear();
        }
    }

    public void Dispose()
    {
        _inflate?.Dispose();
        _inflate = null;
        _feed.Release();
    }

    /// What DeflateStream reads from: the compressed bytes handed in so far. Returning 0 when empty just means
    /// "no more input yet"; DeflateStream then returns what it could produce and is read again later.
    private sealed class FeedStream : Stream
    {
        private readonly PooledByteBuffer _buffer = new();
        private int _start;

        /// Whether the inflater's most recent request for input found none (see EndMessage).
        public bool LastReadWasEmpty { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _buffer.Length - _start;

        public override long Position
        {
            get => 0;
            set => throw new NotSupportedException();
        }

        public void Add(ReadOnlySpan<byte> data)
        {
            if (_start == _buffer.Length)
            {
                _buffer.Clear();
                _start = 0;
            }

            _buffer.Write(data);
        }

        public void Clear()
        {
            _buffer.Clear();
            _start = 0;
        }

        public void Release()
        {
            _buffer.Release();
            _start = 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _buffer.Length - _start);
            _buffer.WrittenSpan.Slice(_start, n).CopyTo(buffer);
            _start += n;
            LastReadWasEmpty = n == 0;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
