using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Protocol;

/// The sending half. Every frame is written under one SemaphoreSlim(1) (uncontended it completes synchronously, so
/// the fast path takes no lock object and allocates nothing); a message sent in parts holds the lock per frame, not
/// per message, which lets pings, pongs and the close frame go out between its fragments. Waiting senders queue on
/// the semaphore with their own payloads, and the engine itself never holds more than
/// <see cref="WebSocketEngineOptions.MaxQueuedSendBytes"/> unflushed bytes: a slow peer makes senders wait, memory
/// does not grow.
internal sealed partial class WebSocketEngine
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly PerMessageDeflateCompressor? _compressor;
    private readonly int _compressionThreshold;
    private bool _sendMessageOpen;          // a fragmented message is in progress (guarded by _sendLock)
    private WebSocketMessageKind _sendKind;
    private bool _sendCompressed;
    private byte[]? _maskKeys;              // a batch of random masking keys, 4 bytes each
    private int _maskKeyPosition;
    private long _sendProgress;             // completed flushes (written under _sendLock)
    private volatile bool _flushOwed;       // a frame was written without its flush (SendPreparedAsync, flush: false)
    private long _deferredBytes;            // bytes written since the last flush (guarded by _sendLock)

    /// At most this many bytes (or MaxQueuedSendBytes, if less) wait in the transport's buffer for a deferred flush;
    /// a frame that would go past it is flushed at once, so a peer that stops reading still stops the writer early.
    internal const int DeferredFlushLimit = 16 * 1024;

    /// Grows by one whenever the transport has taken what was written (a flush completed), so a watcher can tell a
    /// peer that reads slowly from one that reads nothing.
    public long SendProgress => Volatile.Read(ref _sendProgress);

    /// Whether bytes were written without a flush (a prepared frame sent with <c>flush: false</c>) and no flush has
    /// followed yet: whoever let that happen must see to <see cref="FlushOwedAsync"/>.
    public bool FlushOwed => _flushOwed;

    /// Sends a message, or one part of it (<paramref name="endOfMessage"/> false; later calls pass the same kind and
    /// continue it). Throws InvalidOperationException once the connection is no longer open for sending,
    /// IOException when the transport fails.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool endOfMessage, CancellationToken cancellationToken)
    {
        if (kind is not (WebSocketMessageKind.Text or WebSocketMessageKind.Binary))
        {
            throw new ArgumentOutOfRangeException(nameof(kind));
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfNotOpenForSending();
            WebSocketOpcode opcode;
            bool rsv1 = false;
            if (_sendMessageOpen)
            {
                if (kind != _sendKind)
                {
                    throw new InvalidOperationException($"A fragmented {_sendKind} message is being sent; its parts must all be {_sendKind}.");
                }

                opcode = WebSocketOpcode.Continuation;
            }
            else
            {
                opcode = (WebSocketOpcode)kind;
                _sendKind = kind;
                _sendCompressed = _compressor is not null && (!endOfMessage || payload.Length >= _compressionThreshold);
                rsv1 = _sendCompressed;
            }

            ReadOnlyMemory<byte> wire = _sendCompressed ? _compressor!.Compress(payload, endOfMessage) : payload;
            _sendMessageOpen = !endOfMessage;
            await WriteFrameAsync(opcode, endOfMessage, rsv1, wire, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// Sends a whole text message, encoding <paramref name="text"/> (whose UTF-8 length is <paramref name="byteCount"/>,
    /// lone surrogates counted as U+FFFD as Encoding.UTF8 does) straight into the transport's buffer: no intermediate
    /// byte array and no copy of it. A message that will be compressed is encoded into a pooled array first, since the
    /// compressor reads bytes. Throws like <see cref="SendAsync"/>.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendTextAsync(string text, int byteCount, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfNotOpenForSending();
            if (_sendMessageOpen)
            {
                throw new InvalidOperationException($"A fragmented {_sendKind} message is being sent; a whole message cannot go between its parts.");
            }

            _sendKind = WebSocketMessageKind.Text;
            _sendCompressed = _compressor is not null && byteCount >= _compressionThreshold;
            if (!_sendCompressed)
            {
                await WriteTextFrameAsync(text, byteCount, cancellationToken).ConfigureAwait(false);
                return;
            }

            byte[] encoded = ArrayPool<byte>.Shared.Rent(Math.Max(byteCount, 1));
            try
            {
                int length = Encoding.UTF8.GetBytes(text, encoded);
                ReadOnlyMemory<byte> wire = _compressor!.Compress(encoded.AsMemory(0, length), endOfMessage: true);
                await WriteFrameAsync(WebSocketOpcode.Text, fin: true, rsv1: true, wire, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(encoded);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// Sends a whole message framed beforehand for many connections (<see cref="PreparedFrame"/>), byte for byte what
    /// <see cref="SendAsync"/> would write for its payload: a server writes the shared frame as it is, or the shared
    /// compressed frame of its level and window when it compresses each message on its own; a server with context takeover
    /// compresses the payload with its own deflater, and a client masks it with its own key, as for any message.
    /// Throws like <see cref="SendAsync"/>.
    public ValueTask SendPreparedAsync(PreparedFrame message, CancellationToken cancellationToken) =>
        SendPreparedAsync(message, flush: true, cancellationToken);

    /// <see cref="SendPreparedAsync(PreparedFrame, CancellationToken)"/>; with <paramref name="flush"/> false the frame
    /// is left in the transport's buffer for a later flush to carry (several frames, one transport write):
    /// <see cref="FlushOwed"/> says so until one does. At most <see cref="DeferredFlushLimit"/> bytes wait so; past
    /// that the frame is flushed at once. Only the framed server path defers; a frame made per connection (a client's
    /// masked frame, context takeover) is flushed as usual.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask SendPreparedAsync(PreparedFrame message, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfNotOpenForSending();
            if (_sendMessageOpen)
            {
                throw new InvalidOperationException($"A fragmented {_sendKind} message is being sent; a whole message cannot go between its parts.");
            }

            _sendKind = message.Kind;
            _sendCompressed = _compressor is not null && message.PayloadLength >= _compressionThreshold;
            if (_isClient || (_sendCompressed && !_compressor!.NoContextTakeover))
            {
                ReadOnlyMemory<byte> wire = _sendCompressed ? _compressor!.Compress(message.Payload, endOfMessage: true) : message.Payload;
                await WriteFrameAsync((WebSocketOpcode)message.Kind, fin: true, _sendCompressed, wire, cancellationToken).ConfigureAwait(false);
                return;
            }

            ReadOnlyMemory<byte> frame = _sendCompressed ? message.GetCompressedFrame(_compressor!.Level, _compressor.WindowBits) : message.Frame;
            await WriteFramedAsync(frame, flush, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public ValueTask SendPingAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendControlAsync(WebSocketOpcode.Ping, payload, throwIfClosed: true, cancellationToken);

    public ValueTask SendPongAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        SendControlAsync(WebSocketOpcode.Pong, payload, throwIfClosed: true, cancellationToken);

    private async ValueTask SendControlAsync(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, bool throwIfClosed, CancellationToken cancellationToken)
    {
        if (payload.Length > 125)
        {
            throw new ArgumentException("A control frame payload must be at most 125 bytes.", nameof(payload));
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != WebSocketEngineState.Open)
            {
                if (throwIfClosed)
                {
                    ThrowIfNotOpenForSending();
                }

                return;
            }

            await WriteFrameAsync(opcode, fin: true, rsv1: false, payload, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// Writes a close frame; the caller holds the send lock and has updated the state.
    private ValueTask WriteCloseFrameAsync(ushort code, ReadOnlySpan<byte> reason, CancellationToken cancellationToken)
    {
        byte[] payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reason.CopyTo(payload.AsSpan(2));
        return WriteFrameAsync(WebSocketOpcode.Close, fin: true, rsv1: false, payload, cancellationToken);
    }

    /// Sends a close frame from the receive loop (echo or failure) if none was sent yet, bounded by the close
    /// timeout so a transport that takes nothing cannot hold the loop. true when it was sent.
    private async ValueTask<bool> TrySendCloseFromReceiverAsync(ushort code, byte[] reason, WebSocketEngineState nextState)
    {
        using var timeout = new CancellationTokenSource(_options.CloseTimeout, _options.TimeProvider);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        try
        {
            int state = Volatile.Read(ref _state);
            if (state is not ((int)WebSocketEngineState.Open or (int)WebSocketEngineState.CloseReceived))
            {
                return false;
            }

            Volatile.Write(ref _state, (int)nextState);
            await WriteCloseFrameAsync(code, reason, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception)
        {
            // The transport failed or timed out while we said goodbye; the connection ends either way.
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void ThrowIfNotOpenForSending()
    {
        if (State != WebSocketEngineState.Open)
        {
            throw new InvalidOperationException("The WebSocket is closed.");
        }
    }

    /// Writes one frame: header, then the payload in pieces (masked on the way into the pipe's memory for a client),
    /// flushing whenever the unflushed bytes reach MaxQueuedSendBytes. A cancelled or failed write leaves a partial
    /// frame on the wire, so the connection is aborted then.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteFrameAsync(WebSocketOpcode opcode, bool fin, bool rsv1, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        try
        {
            int? maskKey = _isClient ? NextMaskKey() : null;
            int maskOffset = 0;
            int headerSize = FrameHeader.GetHeaderSize(payload.Length, maskKey.HasValue);
            ReserveSendBuffer(headerSize, payload.Length);
            Traffic?.FrameSent((byte)opcode, fin, headerSize + payload.Length);

            long unflushed = FrameWriter.WriteHeader(_output, opcode, fin, rsv1, payload.Length, maskKey);
            while (!payload.IsEmpty)
            {
                int written = FrameWriter.WritePayloadChunk(_output, payload.Span, maskKey, ref maskOffset);
                payload = payload[written..];
                unflushed += written;
                if (unflushed >= _options.MaxQueuedSendBytes && !payload.IsEmpty)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                    unflushed = 0;
                    ReserveSendBuffer(0, payload.Length);
                }
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            ThrowSendFailure(e);
        }
    }

    /// <see cref="WriteFrameAsync"/> for a frame whose header and (unmasked) payload are already in
    /// <paramref name="frame"/>: copied to the transport as it is, flushed by the same rule.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteFramedAsync(ReadOnlyMemory<byte> frame, bool flush, CancellationToken cancellationToken)
    {
        try
        {
            flush |= _deferredBytes + frame.Length > Math.Min(DeferredFlushLimit, _options.MaxQueuedSendBytes);
            _deferredBytes += frame.Length;
            ReserveSendBuffer(0, frame.Length);
            Traffic?.FrameSent((byte)(frame.Span[0] & 0x0F), (frame.Span[0] & 0x80) != 0, frame.Length);
            long unflushed = 0;
            int maskOffset = 0;
            while (!frame.IsEmpty)
            {
                int written = FrameWriter.WritePayloadChunk(_output, frame.Span, maskKey: null, ref maskOffset);
                frame = frame[written..];
                unflushed += written;
                if (unflushed >= _options.MaxQueuedSendBytes && !frame.IsEmpty)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                    unflushed = 0;
                    ReserveSendBuffer(0, frame.Length);
                }
            }

            if (flush)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _flushOwed = true;
            }
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            ThrowSendFailure(e);
        }
    }

    /// Over a Stream transport, makes room for what will be written before the next flush in one array: the header and
    /// the payload up to MaxQueuedSendBytes (plus the chunk that crosses it), so a frame is one stream write, and a large
    /// one one write per MaxQueuedSendBytes, without the buffer regrowing as chunks arrive.
    private void ReserveSendBuffer(int headerSize, long payloadLeft)
    {
        if (_output is StreamFrameWriter writer)
        {
            long untilFlush = Math.Min(payloadLeft, _options.MaxQueuedSendBytes + FrameWriter.MaxChunkSize);
            writer.Reserve((int)Math.Min(headerSize + untilFlush, Array.MaxLength));
        }
    }

    /// <see cref="WriteFrameAsync"/> for a whole uncompressed text message whose payload is encoded from UTF-16 as it
    /// is written (masked in place for a client).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteTextFrameAsync(string text, int byteCount, CancellationToken cancellationToken)
    {
        try
        {
            int? maskKey = _isClient ? NextMaskKey() : null;
            int maskOffset = 0;
            int headerSize = FrameHeader.GetHeaderSize(byteCount, maskKey.HasValue);
            ReserveSendBuffer(headerSize, byteCount);
            Traffic?.FrameSent((byte)WebSocketOpcode.Text, fin: true, headerSize + byteCount);

            long unflushed = FrameWriter.WriteHeader(_output, WebSocketOpcode.Text, fin: true, rsv1: false, byteCount, maskKey);
            int charsDone = 0;
            int bytesLeft = byteCount;
            while (bytesLeft > 0)
            {
                int written = FrameWriter.WriteTextChunk(_output, text.AsSpan(charsDone), bytesLeft, maskKey, ref maskOffset, out int charsRead);
                charsDone += charsRead;
                bytesLeft -= written;
                unflushed += written;
                if (unflushed >= _options.MaxQueuedSendBytes && bytesLeft > 0)
                {
                    await FlushAsync(cancellationToken).ConfigureAwait(false);
                    unflushed = 0;
                    ReserveSendBuffer(0, bytesLeft);
                }
            }

            if (charsDone != text.Length)
            {
                throw new IOException("The text is longer in UTF-8 than the byte count given for it.");
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            ThrowSendFailure(e);
        }
    }

    /// Flushes what a deferred prepared frame left in the transport's buffer, unless a later write's flush already
    /// carried it. A transport failure aborts the connection (its receive loop then ends the session), as any send's.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask FlushOwedAsync()
    {
        await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (_flushOwed && Volatile.Read(ref _aborted) == 0)
            {
                await FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            ThrowSendFailure(e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// A write that failed or was canceled leaves a partial frame on the wire, so the connection is aborted; the caller
    /// sees the cancellation as it was, or an IOException.
    [DoesNotReturn]
    private void ThrowSendFailure(Exception e)
    {
        Abort();
        if (e is OperationCanceledException or IOException)
        {
            ExceptionDispatchInfo.Throw(e);
        }

        throw new IOException("The transport failed while sending: " + e.Message, e);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _flushOwed = false;   // this flush carries whatever was left unflushed before it
        _deferredBytes = 0;
        FlushResult result = await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new IOException("The connection was aborted.");
        }

        if (result.IsCompleted && Volatile.Read(ref _aborted) == 1)
        {
            throw new IOException("The connection was aborted.");
        }

        Volatile.Write(ref _sendProgress, _sendProgress + 1);
    }

    /// A fresh key per frame from a cryptographic source (RFC 6455 §5.3), drawn from a batch of 64 keys.
    private int NextMaskKey()
    {
        if (_options.MaskKeySource is { } source)
        {
            byte[] key = source();
            return BinaryPrimitives.ReadInt32LittleEndian(key);
        }

        if (_maskKeys is null || _maskKeyPosition >= _maskKeys.Length)
        {
            _maskKeys ??= new byte[256];
            RandomNumberGenerator.Fill(_maskKeys);
            _maskKeyPosition = 0;
        }

        int value = BinaryPrimitives.ReadInt32LittleEndian(_maskKeys.AsSpan(_maskKeyPosition));
        _maskKeyPosition += 4;
        return value;
    }
}
