using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Annotated.WebSockets.Protocol;

/// The receiving half: a resumable state machine over the PipeReader. Every piece of progress (inside which frame,
/// how much of its payload is left, the mask offset, the UTF-8 state, the message being assembled) lives in fields,
/// so a read may stop after any byte and a cancelled receive resumes where it stopped. Headers are validated in full
/// (RSV bits, opcodes, masking for the role, control frame rules, continuation rules, size limits) before any of
/// the payload is buffered.
internal sealed partial class WebSocketEngine
{
    private const int PartBufferSize = 64 * 1024;
    private const int ReadChunkSize = 64 * 1024;

    private readonly PerMessageDeflateDecompressor? _decompressor;
    private byte[]? _control;               // made at the first control frame: most connections never get one
    private readonly byte[] _carryBytes = new byte[4];
    private readonly PooledByteBuffer _message = new();
    private WebSocketEvent? _closeEvent;

    // A payload delivered in place from the transport's buffer (ReadFrame): the reader is advanced past it at the
    // next receive, so the payload stays valid until then, as every delivered payload does.
    private bool _holdingInput;
    private SequencePosition _heldInputEnd;
    private Exception? _inputError;         // a read failure met by WaitForInputAsync, reported by the next receive

    // The frame being read.
    private bool _inFrame;
    private WebSocketOpcode _frameOpcode;
    private bool _frameFin;
    private long _frameRemaining;
    private bool _frameMasked;
    private int _frameMaskKey;
    private int _maskOffset;
    private int _controlLength;

    // The data message being read.
    private bool _messageOpen;
    private long _messageStartedAt;         // the clock's timestamp at its first frame
    private WebSocketMessageKind _messageKind;
    private bool _messageWhole;
    private long _messageLimit;
    private bool _messageCompressed;
    private bool _messageInputComplete;
    private bool _drainPending;
    private bool _discarding;
    private Utf8Validator _utf8;
    private byte[]? _part;
    private byte[]? _scratch;
    private int _carryCount;
    private bool _releaseMessage;

    /// Receives the next event. Single reader: never called concurrently with itself. After a Close event every
    /// further call returns the same event. Throws only OperationCanceledException for the token.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<WebSocketEvent> ReceiveAsync(ReceivePolicy policy, CancellationToken cancellationToken)
    {
        if (_closeEvent is { } closed)
        {
            return closed;
        }

        if (Interlocked.CompareExchange(ref _receiveActive, 1, 0) != 0)
        {
            // Disposed (or a concurrent reader, which the contract forbids).
            return _closeEvent ?? WebSocketEvent.Close(CloseStatusCodes.AbnormalClosure, "", new ObjectDisposedException(nameof(WebSocketEngine)), true);
        }

        try
        {
            ReleaseDeliveredPayload();
            if (_inputError is { } waitError)
            {
                _inputError = null;
                throw new IOException("The transport failed: " + waitError.Message, waitError);
            }

            while (true)
            {
                if (!_drainPending && (!_inFrame || ContinuesWholePayload))
                {
                    if (Volatile.Read(ref _aborted) == 1)
                    {
                        // Aborted while WaitForInputAsync waited: its read took the cancellation, this one would wait.
                        throw new IOException("The connection was aborted.");
                    }

                    // The common cases, with one read and no further async call: a frame whose header and payload
                    // are both in the buffer is parsed, validated and delivered synchronously (ReadFrame); the rest
                    // of a whole message's payload is copied as it arrives (ReadMorePayload).
                    ReadResult read = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
                    ThrowIfMessageOverdue();
                    if (_inFrame ? ReadMorePayload(read, out WebSocketEvent ready) : ReadFrame(read, policy, out ready))
                    {
                        return ready;
                    }

                    if (!_inFrame || ContinuesWholePayload)
                    {
                        continue;   // a header incomplete, a whole non-final frame consumed, or more payload to come
                    }
                }

                WebSocketEvent? next = await ReceiveStepAsync(policy, cancellationToken).ConfigureAwait(false);
                if (next is { } result)
                {
                    return result;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && Volatile.Read(ref _aborted) == 0)
        {
            throw;
        }
        catch (WebSocketProtocolException e)
        {
            return await FailAsync(e).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return await TransportEndedAsync(e).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _receiveActive, 0);
        }
    }

    /// Waits until the transport has bytes (or has ended) without taking them, so that an idle connection's pending
    /// wait is this small method's state machine and not ReceiveAsync's (which holds every local of the receive loop;
    /// docs/PERFORMANCE.md, idle memory). Like a receive, it ends the validity of the last delivered payload and
    /// gives its buffer back first. Optional: ReceiveAsync alone works the same. Never throws: a failure is kept for
    /// the next ReceiveAsync to report. Called by the single reader only, between receives.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WaitForInputAsync()
    {
        if (_closeEvent is not null || _inFrame || _drainPending || Interlocked.CompareExchange(ref _receiveActive, 1, 0) != 0)
        {
            return;   // mid-frame (a receive continues at once), closed, or disposed: nothing to wait for here
        }

        try
        {
            ReleaseDeliveredPayload();
            ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
            // Nothing consumed, nothing examined: the receive's read returns the same bytes at once.
            _input.AdvanceTo(result.Buffer.Start);
        }
        catch (Exception e)
        {
            _inputError = e;
        }
        finally
        {
            Volatile.Write(ref _receiveActive, 0);
        }
    }

    /// The previous event's payload is no longer needed: consume it from the transport's buffer if it was delivered
    /// in place, and give a pooled message buffer back (an idle connection holds no message buffer).
    private void ReleaseDeliveredPayload()
    {
        if (_holdingInput)
        {
            _holdingInput = false;
            _input.AdvanceTo(_heldInputEnd);
        }

        if (_releaseMessage)
        {
            _releaseMessage = false;
            _message.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<WebSocketEvent?> ReceiveStepAsync(ReceivePolicy policy, CancellationToken cancellationToken)
    {
        if (_drainPending)
        {
            return DrainInflater();
        }

        if (!_inFrame)
        {
            FrameHeader header = await ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
            BeginFrame(header, policy);
        }

        if (_frameOpcode >= WebSocketOpcode.Close)
        {
            return await ReadControlFrameAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_discarding)
        {
            await DiscardPayloadAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (_messageCompressed)
        {
            if (_frameRemaining > 0)
            {
                _scratch ??= ArrayPool<byte>.Shared.Rent(ReadChunkSize);
                int n = await ReadPayloadAsync(_scratch.AsMemory(0, (int)Math.Min(_frameRemaining, ReadChunkSize)), cancellationToken).ConfigureAwait(false);
                _decompressor!.AddInput(_scratch.AsSpan(0, n));
            }

            EndFrameIfDone();
            return DrainInflater();
        }

        return _messageWhole
            ? await ReadWholePayloadAsync(cancellationToken).ConfigureAwait(false)
            : await ReadPartialPayloadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// Checks a new frame's header against every framing rule, then sets up the frame (and message) state.
    private void BeginFrame(FrameHeader header, ReceivePolicy policy)
    {
        WebSocketOpcode opcode = header.Opcode;
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
        {
            throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, $"Reserved opcode {(byte)opcode}.");
        }

        if ((header.Rsv & 0b011) != 0)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "RSV2 and RSV3 must be 0; no extension defines them.");
        }

        if (header.Rsv1)
        {
            if (_decompressor is null)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "RSV1 must be 0; no extension was negotiated.");
            }

            if (header.IsControl || opcode == WebSocketOpcode.Continuation)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "RSV1 (compressed) is allowed only on the first frame of a data message.");
            }
        }

        if (_isClient && header.Masked)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A server must not mask the frames it sends.");
        }

        if (!_isClient && !header.Masked)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A client must mask every frame it sends.");
        }

        if (header.IsControl)
        {
            if (!header.Fin)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "Control frames must not be fragmented.");
            }

            if (header.PayloadLength > 125)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A control frame payload must be at most 125 bytes.");
            }

            _controlLength = 0;
            _control ??= new byte[125];
        }
        else
        {
            if (opcode == WebSocketOpcode.Continuation && !_messageOpen)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A continuation frame arrived with no message to continue.");
            }

            if (opcode != WebSocketOpcode.Continuation && _messageOpen)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A new data frame arrived while a fragmented message was still open.");
            }

            if (header.PayloadLength > _options.MaxFramePayloadSize)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.MessageTooBig, $"The frame payload ({header.PayloadLength} bytes) exceeds the limit of {_options.MaxFramePayloadSize} bytes.");
            }

            if (opcode != WebSocketOpcode.Continuation)
            {
                BeginMessage((WebSocketMessageKind)opcode, header.Rsv1, policy);
            }

            if (_messageWhole && !_messageCompressed && !_discarding && _message.Length + header.PayloadLength > _messageLimit)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.MessageTooBig, $"The message exceeds the limit of {_messageLimit} bytes.");
            }
        }

        _inFrame = true;
        _frameOpcode = opcode;
        _frameFin = header.Fin;
        _frameRemaining = header.PayloadLength;
        _frameMasked = header.Masked;
        _frameMaskKey = header.MaskKey;
        _maskOffset = 0;
    }

    private void BeginMessage(WebSocketMessageKind kind, bool compressed, ReceivePolicy policy)
    {
        _messageOpen = true;
        _messageStartedAt = _options.MessageReceiveTimeout > TimeSpan.Zero ? _options.TimeProvider.GetTimestamp() : 0;
        _messageKind = kind;
        _messageCompressed = compressed;
        _messageInputComplete = false;
        _discarding = State != WebSocketEngineState.Open;   // after our close, data is read and dropped
        _messageWhole = kind == WebSocketMessageKind.Text ? policy.WholeText : policy.WholeBinary;
        long limit = kind == WebSocketMessageKind.Text ? policy.MaxTextMessageSize : policy.MaxBinaryMessageSize;
        // A whole message lives in one array, so no limit can exceed what an array holds.
        _messageLimit = Math.Min(limit > 0 ? limit : _options.MaxMessageSize, Array.MaxLength);
        _utf8.Reset();
        _carryCount = 0;
        _message.Clear();
    }

    private void EndFrameIfDone()
    {
        if (_frameRemaining == 0)
        {
            _inFrame = false;
            if (_frameFin && _messageCompressed && !_discarding)
            {
                _decompressor!.AddTail();
                _messageInputComplete = true;
            }
        }
    }

    /// A data message must be complete within MessageReceiveTimeout of its first frame. Checked whenever bytes arrive
    /// (a peer trickling a message, or keeping it open with pings, is caught at its next byte); a peer that sends
    /// nothing at all is the idle timeout's.
    private void ThrowIfMessageOverdue()
    {
        if (_messageOpen && _options.MessageReceiveTimeout > TimeSpan.Zero &&
            _options.TimeProvider.GetElapsedTime(_messageStartedAt) > _options.MessageReceiveTimeout)
        {
            throw new WebSocketProtocolException(
                CloseStatusCodes.PolicyViolation,
                $"The message was not completed within {_options.MessageReceiveTimeout.TotalSeconds:0.###} s of its first frame.");
        }
    }

    private void EndMessage()
    {
        _messageOpen = false;
        _drainPending = false;
        _utf8.Reset();
        _carryCount = 0;
        if (_messageCompressed && !_discarding)
        {
            _decompressor!.EndMessage();
        }
    }

    private void ValidateText(ReadOnlySpan<byte> data)
    {
        if (_messageKind == WebSocketMessageKind.Text && !_utf8.Append(data))
        {
            throw new WebSocketProtocolException(CloseStatusCodes.InvalidPayloadData, "The text message is not valid UTF-8.");
        }
    }

    private void ValidateTextEnd()
    {
        if (_messageKind == WebSocketMessageKind.Text && !_utf8.IsComplete)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.InvalidPayloadData, "The text message ends inside a UTF-8 sequence.");
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<WebSocketEvent?> ReadWholePayloadAsync(CancellationToken cancellationToken)
    {
        if (_frameRemaining > 0)
        {
            // The whole frame fits the limits (checked from its header), so reserve it at once instead of growing.
            int ask = (int)Math.Min(_frameRemaining, ReadChunkSize);
            Memory<byte> destination = _message.GetMemory((int)_frameRemaining)[..ask];
            int n = await ReadPayloadAsync(destination, cancellationToken).ConfigureAwait(false);
            ValidateText(destination.Span[..n]);
            _message.Advance(n);
        }

        EndFrameIfDone();
        return !_inFrame && _frameFin ? DeliverWhole() : null;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<WebSocketEvent?> ReadPartialPayloadAsync(CancellationToken cancellationToken)
    {
        _part ??= ArrayPool<byte>.Shared.Rent(PartBufferSize + 4);
        int length = _carryCount;
        if (_frameRemaining > 0)
        {
            // The carried bytes are put in front only after the read: a cancelled read must not lose them.
            int ask = (int)Math.Min(_frameRemaining, PartBufferSize);
            int n = await ReadPayloadAsync(_part.AsMemory(length, ask), cancellationToken).ConfigureAwait(false);
            TakeCarry();
            ValidateText(_part.AsSpan(length, n));
            length += n;
        }
        else
        {
            TakeCarry();
        }

        EndFrameIfDone();
        return DeliverPart(length, !_inFrame && _frameFin);
    }

    /// Pulls decompressed output: into the message buffer (whole, bounded by the limit: a decompression bomb stops
    /// with 1009 one byte past the limit) or into one part buffer (partial).
    private WebSocketEvent? DrainInflater()
    {
        if (_messageWhole)
        {
            while (true)
            {
                int ask = (int)Math.Min(_messageLimit + 1 - _message.Length, ReadChunkSize);
                Span<byte> destination = _message.GetSpan(ask)[..ask];
                int n = _decompressor!.Read(destination);
                if (n == 0)
                {
                    break;
                }

                if (_message.Length + n > _messageLimit)
                {
                    throw new WebSocketProtocolException(CloseStatusCodes.MessageTooBig, $"The decompressed message exceeds the limit of {_messageLimit} bytes.");
                }

                ValidateText(destination[..n]);
                _message.Advance(n);
            }

            _drainPending = false;
            return _messageInputComplete ? DeliverWhole() : null;
        }

        _part ??= ArrayPool<byte>.Shared.Rent(PartBufferSize + 4);
        int length = TakeCarry();
        bool drained = false;
        while (length < PartBufferSize)
        {
            int n = _decompressor!.Read(_part.AsSpan(length, PartBufferSize - length));
            if (n == 0)
            {
                drained = true;
                break;
            }

            ValidateText(_part.AsSpan(length, n));
            length += n;
        }

        _drainPending = !drained;
        return DeliverPart(length, drained && _messageInputComplete);
    }

    private int TakeCarry()
    {
        int count = _carryCount;
        _carryBytes.AsSpan(0, count).CopyTo(_part);
        _carryCount = 0;
        return count;
    }

    /// Delivers _part[0..length) up to the last complete code point; the incomplete tail is carried to the next part.
    private WebSocketEvent? DeliverPart(int length, bool endOfMessage)
    {
        int complete = length;
        if (_messageKind == WebSocketMessageKind.Text)
        {
            if (endOfMessage)
            {
                ValidateTextEnd();
            }

            complete = length - _utf8.PendingBytes;
        }

        int carry = length - complete;
        _part.AsSpan(complete, carry).CopyTo(_carryBytes);
        _carryCount = carry;
        if (complete == 0 && !endOfMessage)
        {
            return null;
        }

        WebSocketMessageKind kind = _messageKind;
        if (endOfMessage)
        {
            EndMessage();
        }

        return WebSocketEvent.Data(kind, _part.AsMemory(0, complete), endOfMessage);
    }

    private WebSocketEvent DeliverWhole()
    {
        ValidateTextEnd();
        WebSocketMessageKind kind = _messageKind;
        EndMessage();
        _releaseMessage = true;   // the payload stays valid until the next receive, which frees it
        return WebSocketEvent.Data(kind, _message.WrittenMemory, true);
    }

    private async ValueTask DiscardPayloadAsync(CancellationToken cancellationToken)
    {
        if (_frameRemaining > 0)
        {
            _scratch ??= ArrayPool<byte>.Shared.Rent(ReadChunkSize);
            await ReadPayloadAsync(_scratch.AsMemory(0, (int)Math.Min(_frameRemaining, ReadChunkSize)), cancellationToken).ConfigureAwait(false);
        }

        EndFrameIfDone();
        if (!_inFrame && _frameFin)
        {
            EndMessage();
        }
    }

    private async ValueTask<WebSocketEvent?> ReadControlFrameAsync(CancellationToken cancellationToken)
    {
        while (_frameRemaining > 0)
        {
            _controlLength += await ReadPayloadAsync(_control!.AsMemory(_controlLength, (int)_frameRemaining), cancellationToken).ConfigureAwait(false);
        }

        _inFrame = false;
        ReadOnlyMemory<byte> payload = _control!.AsMemory(0, _controlLength);
        switch (_frameOpcode)
        {
            case WebSocketOpcode.Ping:
                if (State != WebSocketEngineState.Open)
                {
                    return null;
                }

                if (_options.DeliverPings)
                {
                    return WebSocketEvent.Control(WebSocketEventKind.Ping, payload);
                }

                try
                {
                    await SendControlAsync(WebSocketOpcode.Pong, payload, throwIfClosed: false, cancellationToken).ConfigureAwait(false);
                }
                catch (InvalidOperationException)
                {
                    // Closed meanwhile; no pong is owed after a close.
                }

                return null;
            case WebSocketOpcode.Pong:
                return State == WebSocketEngineState.Open ? WebSocketEvent.Control(WebSocketEventKind.Pong, payload) : null;
            default:
                return await OnCloseFrameAsync(payload).ConfigureAwait(false);
        }
    }

    /// The peer's close frame: validated (§5.5.1, §7.4), echoed if we had not closed yet, then the connection ends.
    private async ValueTask<WebSocketEvent> OnCloseFrameAsync(ReadOnlyMemory<byte> payload)
    {
        ushort code = CloseStatusCodes.NoStatusReceived;
        string reason = "";
        if (payload.Length == 1)
        {
            throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, "A close frame payload of 1 byte is not allowed.");
        }

        if (payload.Length >= 2)
        {
            code = BinaryPrimitives.ReadUInt16BigEndian(payload.Span);
            if (!CloseStatusCodes.IsValidOnWire(code))
            {
                throw new WebSocketProtocolException(CloseStatusCodes.ProtocolError, $"Close code {code} may not be sent on the wire.");
            }

            ReadOnlySpan<byte> reasonBytes = payload.Span[2..];
            var validator = default(Utf8Validator);
            if (!validator.Append(reasonBytes) || !validator.IsComplete)
            {
                throw new WebSocketProtocolException(CloseStatusCodes.InvalidPayloadData, "The close reason is not valid UTF-8.");
            }

            reason = Encoding.UTF8.GetString(reasonBytes);
        }

        bool locallyInitiated = State == WebSocketEngineState.CloseSent;
        if (!locallyInitiated)
        {
            ushort echo = code == CloseStatusCodes.NoStatusReceived ? CloseStatusCodes.NormalClosure : code;
            await TrySendCloseFromReceiverAsync(echo, [], WebSocketEngineState.CloseReceived).ConfigureAwait(false);
        }

        Volatile.Write(ref _state, (int)WebSocketEngineState.Closed);
        return await FinishAsync(WebSocketEvent.Close(code, reason, null, locallyInitiated)).ConfigureAwait(false);
    }

    /// The engine fails the connection (RFC 6455 §7.1.7): close frame with the code, then the transport closes.
    private async ValueTask<WebSocketEvent> FailAsync(WebSocketProtocolException error)
    {
        await TrySendCloseFromReceiverAsync(error.CloseCode, TruncateReason(error.Message), WebSocketEngineState.Closed).ConfigureAwait(false);
        int state = Volatile.Read(ref _state);
        if (state != (int)WebSocketEngineState.Aborted)
        {
            Volatile.Write(ref _state, (int)WebSocketEngineState.Closed);
        }

        return await FinishAsync(WebSocketEvent.Close(error.CloseCode, "", error, true)).ConfigureAwait(false);
    }

    /// The transport ended (EOF, failure, abort or close timeout) without a completed close handshake: 1006.
    private async ValueTask<WebSocketEvent> TransportEndedAsync(Exception error)
    {
        if (_closeTimedOut)
        {
            error = new TimeoutException("The peer did not answer the close frame within the close timeout.", error);
        }

        Volatile.Write(ref _state, (int)WebSocketEngineState.Aborted);
        return await FinishAsync(WebSocketEvent.Close(CloseStatusCodes.AbnormalClosure, "", error, false)).ConfigureAwait(false);
    }

    private async ValueTask<WebSocketEvent> FinishAsync(WebSocketEvent closeEvent)
    {
        _closeEvent = closeEvent;
        await CompleteTransportAsync().ConfigureAwait(false);
        ReleaseReceiveBuffers();
        return closeEvent;
    }

    private void ReleaseReceiveBuffers()
    {
        _message.Release();
        if (_part is not null)
        {
            ArrayPool<byte>.Shared.Return(_part);
            _part = null;
        }

        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }

        _decompressor?.Dispose();
    }

    /// One synchronous step over a buffer just read, with no frame in progress: parses and validates the header and,
    /// when the whole payload is already in the buffer, takes it in the same step (a control frame's into _control for
    /// ReadControlFrameAsync; a whole, uncompressed data message's into the message buffer, or, for a single-frame
    /// message lying in one segment, delivered in place). true: <paramref name="delivered"/> is the next event.
    /// false: progress was made (the header, maybe the payload) or more bytes are needed; the reader is advanced.
    private bool ReadFrame(ReadResult result, ReceivePolicy policy, out WebSocketEvent delivered)
    {
        delivered = default;
        ReadOnlySequence<byte> buffer = result.Buffer;
        ThrowIfAborted(result, buffer);
        bool parsed;
        FrameHeader header;
        int size;
        try
        {
            parsed = FrameHeader.TryParse(buffer, out header, out size);
        }
        catch
        {
            _input.AdvanceTo(buffer.Start);
            throw;
        }

        if (!parsed)
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The connection closed without a close frame.");
            }

            return false;
        }

        SequencePosition afterHeader = buffer.GetPosition(size);
        Traffic?.FrameReceived((byte)header.Opcode, header.Fin, size + header.PayloadLength);
        try
        {
            BeginFrame(header, policy);
        }
        catch
        {
            _input.AdvanceTo(afterHeader);
            throw;
        }

        long length = _frameRemaining;
        bool control = _frameOpcode >= WebSocketOpcode.Close;
        if (length > buffer.Length - size || (!control && (_discarding || _messageCompressed || !_messageWhole)))
        {
            // The payload is not all here yet, or needs the slower paths (inflating, parts, dropping).
            _input.AdvanceTo(afterHeader);
            return false;
        }

        ReadOnlySequence<byte> payload = buffer.Slice(afterHeader, length);
        int n = (int)length;
        if (control)
        {
            CopyPayload(payload, _control!);
            _controlLength = n;
            _frameRemaining = 0;
            _input.AdvanceTo(payload.End);
            return false;   // _inFrame stays set: ReceiveStepAsync handles the complete control frame
        }

        if (_frameFin && _message.Length == 0 && payload.IsSingleSegment && (!_frameMasked || _ownsInputBuffers))
        {
            // A whole message in one segment of the transport's buffer: unmask it in place (only in buffers this
            // engine's own StreamPipeReader rented and filled) and deliver it from there; the buffer is consumed at
            // the next receive. No copy, no message buffer.
            Memory<byte> inPlace = MemoryMarshal.AsMemory(payload.First);
            _holdingInput = true;
            _heldInputEnd = payload.End;
            if (_frameMasked)
            {
                Masking.Apply(inPlace.Span, _frameMaskKey, 0);
            }

            ValidateText(inPlace.Span);
            ValidateTextEnd();
            _frameRemaining = 0;
            _inFrame = false;
            WebSocketMessageKind kind = _messageKind;
            EndMessage();
            delivered = WebSocketEvent.Data(kind, inPlace, true);
            return true;
        }

        Span<byte> destination = _message.GetSpan(n)[..n];
        CopyPayload(payload, destination);
        _input.AdvanceTo(payload.End);
        _frameRemaining = 0;
        ValidateText(destination);
        _message.Advance(n);
        EndFrameIfDone();
        if (_frameFin)
        {
            delivered = DeliverWhole();
            return true;
        }

        return false;
    }

    /// Inside a data frame of a whole, uncompressed message that is being kept: its payload can be taken by
    /// ReadMorePayload straight from the receive loop.
    private bool ContinuesWholePayload =>
        _inFrame && _frameRemaining > 0 && _frameOpcode < WebSocketOpcode.Close && _messageWhole && !_messageCompressed && !_discarding;

    /// One synchronous step inside such a frame (see <see cref="ContinuesWholePayload"/>): copies whatever of the
    /// payload the buffer holds into the message buffer (reserved for the whole frame at once, as the frame's size is
    /// known and within the limit) and delivers the message when its last byte arrived. The same work as
    /// ReadWholePayloadAsync, without its chain of async calls per read.
    private bool ReadMorePayload(ReadResult result, out WebSocketEvent delivered)
    {
        delivered = default;
        ReadOnlySequence<byte> buffer = result.Buffer;
        ThrowIfAborted(result, buffer);
        if (buffer.IsEmpty)
        {
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The connection closed in the middle of a frame.");
            }

            return false;
        }

        int n = (int)Math.Min(_frameRemaining, buffer.Length);
        ReadOnlySequence<byte> slice = buffer.Slice(0, n);
        Span<byte> destination = _message.GetSpan((int)_frameRemaining)[..n];
        CopyPayload(slice, destination);
        _input.AdvanceTo(slice.End);
        _frameRemaining -= n;
        ValidateText(destination);
        _message.Advance(n);
        EndFrameIfDone();
        if (!_inFrame && _frameFin)
        {
            delivered = DeliverWhole();
            return true;
        }

        return false;
    }

    /// Copies (unmasking when masked) a payload slice to <paramref name="destination"/>, carrying the mask offset.
    private void CopyPayload(ReadOnlySequence<byte> slice, Span<byte> destination)
    {
        if (_frameMasked)
        {
            // Unmask while copying out of the transport's buffer: one pass over the payload, not two.
            foreach (ReadOnlyMemory<byte> segment in slice)
            {
                _maskOffset = Masking.Apply(segment.Span, destination, _frameMaskKey, _maskOffset);
                destination = destination[segment.Length..];
            }
        }
        else
        {
            slice.CopyTo(destination);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FrameHeader> ReadHeaderAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            ThrowIfAborted(result, buffer);
            ThrowIfMessageOverdue();
            bool parsed;
            FrameHeader header;
            int size;
            try
            {
                parsed = FrameHeader.TryParse(buffer, out header, out size);
            }
            catch
            {
                _input.AdvanceTo(buffer.Start);
                throw;
            }

            if (parsed)
            {
                _input.AdvanceTo(buffer.GetPosition(size));
                Traffic?.FrameReceived((byte)header.Opcode, header.Fin, size + header.PayloadLength);
                return header;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The connection closed without a close frame.");
            }
        }
    }

    /// Copies (and unmasks) at least one and at most destination.Length bytes of the current frame's payload.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadPayloadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            ThrowIfAborted(result, buffer);
            ThrowIfMessageOverdue();
            if (!buffer.IsEmpty)
            {
                int n = (int)Math.Min(Math.Min(destination.Length, _frameRemaining), buffer.Length);
                ReadOnlySequence<byte> slice = buffer.Slice(0, n);
                CopyPayload(slice, destination.Span);
                _input.AdvanceTo(slice.End);

                _frameRemaining -= n;
                return n;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The connection closed in the middle of a frame.");
            }
        }
    }

    private void ThrowIfAborted(ReadResult result, ReadOnlySequence<byte> buffer)
    {
        if (result.IsCanceled || Volatile.Read(ref _aborted) == 1)
        {
            _input.AdvanceTo(buffer.Start);
            throw new IOException("The connection was aborted.");
        }
    }
}
