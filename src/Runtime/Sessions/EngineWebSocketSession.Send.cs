using System.Buffers;
using System.Globalization;
using System.Text;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Protocol;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

// The sending side shared by BasicRemote (this class) and AsyncRemote: whole messages, messages in parts
// (partial sends, send streams and writers), objects through the endpoint's encoders or the built-in forms,
// batching, pings and pongs.
//
// Every send first takes a place in the session's SendQueue (bounded in messages and bytes; the send in progress
// counts), before its text is encoded, so a sender waiting for room holds none of the runtime's buffers. The queue
// then hands it the message gate in arrival order, and it writes through the engine. A send that does not complete
// at once arms the SendWatchdog: if the transport then takes none of the queued bytes for SendQueueTimeout, every
// queued and waiting send fails with an IOException (the Jakarta contract for a failed send; its inner exception is
// a TimeoutException) and the session is closed with SendQueueTimeoutCloseCode: the close frame is tried for
// CloseTimeout, then the transport is aborted, which releases the send stuck on it, and OnClose reports the code.
// The uncontended path stays synchronous and allocation-free: a few interlocked operations and the two uncontended
// semaphores (the gate keeps the parts of a message together; the engine's lock lets control frames in between).
internal sealed partial class EngineWebSocketSession : ISendProgressSource
{
    // Held for a whole message, or from the first to the last part of a message sent in parts, so that no
    // other message lands between its fragments. Taken through the SendQueue (which keeps the arrival order);
    // uncontended it completes synchronously.
    private readonly SemaphoreSlim _messageGate = new(1, 1);
    private bool _partialOpen;                 // guarded by _messageGate
    private WebSocketMessageKind _partialKind;
    private volatile bool _batching;           // written under _lock; read without it on the hot path
    private List<(WebSocketMessageKind Kind, byte[] Payload)>? _batch;
    private long _batchBytes;
    private SendQueue? _sendQueue;          // made on the first send
    private SendWatchdog? _sendWatchdog;    // made on the first send that does not complete at once
    private volatile string? _sendStalled;  // the failure message, once the watchdog fired

    /// <summary>The session's outgoing queue (its bound and who waits for room).</summary>
    internal SendQueue SendQueue => _sendQueue ?? CreateSendQueue();

    long ISendProgressSource.SendProgress => _engine.SendProgress;

    // Written and not yet flushed (a broadcast's scheduled flush, or that flush in progress) counts as queued too.
    bool ISendProgressSource.HasQueuedSends =>
        (_sendQueue is { } queue && (queue.Messages > 0 || queue.Waiting > 0))
        || _flushScheduled != 0 || Volatile.Read(ref _flushing) != 0 || _engine.FlushOwed;

    /// <inheritdoc />
    public bool BatchingAllowed
    {
        get => _batching;

        set
        {
            lock (_lock)
            {
                _batching = value;
            }

            if (!value)
            {
                // Jakarta: turning batching off sends the pending batch at once (and may fail with IOException).
                FlushBatchAsync(CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    /// <inheritdoc />
    public async Task FlushBatchAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_batch is null)
            {
                return;
            }
        }

        // The batch takes one place in the queue: its bytes are already held (bounded by MaxBatchBytes).
        var queue = SendQueue;
        await EnterQueueAsync(queue, 0, cancellationToken).ConfigureAwait(false);
        try
        {
            // Taken under the gate so that two flushes cannot reorder the batch.
            List<(WebSocketMessageKind Kind, byte[] Payload)>? batch;
            lock (_lock)
            {
                batch = _batch;
                _batch = null;
                _batchBytes = 0;
            }

            if (batch is null)
            {
                return;
            }

            EnsureOpenForSending();
            ThrowIfSendStalled();
            foreach (var (kind, payload) in batch)
            {
                await SendFrameAsync(kind, payload, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _messageGate.Release();
            queue.Leave(0);
        }
    }

    Task IBasicRemoteEndpoint.SendTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendTextCoreAsync(text, cancellationToken);
    }

    // Utf8Text is valid UTF-8 by construction (and received text was validated by the engine): its bytes go out as they are.
    Task IBasicRemoteEndpoint.SendTextAsync(Utf8Text text, CancellationToken cancellationToken) =>
        SendWholeAsync(WebSocketMessageKind.Text, text.Memory, cancellationToken);

    Task IBasicRemoteEndpoint.SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendWholeAsync(WebSocketMessageKind.Binary, data, cancellationToken);

    Task IBasicRemoteEndpoint.SendAsync(PreparedMessage message, CancellationToken cancellationToken) =>
        SendPreparedAsync(message, cancellationToken);

    Task IBasicRemoteEndpoint.SendObjectAsync(object value, CancellationToken cancellationToken) =>
        SendObjectCoreAsync(value, cancellationToken);

    Task IBasicRemoteEndpoint.SendTextAsync(string fragment, bool isLast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return SendTextPartAsync(fragment, isLast, cancellationToken);
    }

    Task IBasicRemoteEndpoint.SendTextAsync(Utf8Text fragment, bool isLast, CancellationToken cancellationToken) =>
        SendPartAsync(WebSocketMessageKind.Text, fragment.Memory, isLast, cancellationToken);

    Task IBasicRemoteEndpoint.SendBinaryAsync(ReadOnlyMemory<byte> fragment, bool isLast, CancellationToken cancellationToken) =>
        SendPartAsync(WebSocketMessageKind.Binary, fragment, isLast, cancellationToken);

    Stream IBasicRemoteEndpoint.GetSendStream() => new MessageSendStream(this, WebSocketMessageKind.Binary);

    TextWriter IBasicRemoteEndpoint.GetSendWriter() =>
        new StreamWriter(new MessageSendStream(this, WebSocketMessageKind.Text), new UTF8Encoding(false), MessageSendStream.BufferSize);

    Task IRemoteEndpoint.SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken) =>
        SendControlAsync(ping: true, applicationData, cancellationToken);

    Task IRemoteEndpoint.SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken) =>
        SendControlAsync(ping: false, applicationData, cancellationToken);

    void ISendProgressSource.OnSendStalled()
    {
        var timeout = _context.Settings.SendQueueTimeout;
        var code = _context.Settings.SendQueueTimeoutCloseCode;
        _closeCause = "send_queue_timeout";
        Volatile.Write(ref _context.LastSendQueueTimeout, _context.Clock.GetTimestamp());
        _telemetry?.SendQueueTimedOut();
        _sendStalled = $"The peer took none of the queued bytes for {timeout}: the sends failed and the WebSocket session {Id} is closed with {(int)code}.";
        Log.SendQueueStalled(_context.Logger, Id, timeout, (int)code);
        SendQueue.Fail(StalledException);
        _ = CloseStalledAsync(new CloseReason(code, "The peer did not read what was sent."));
    }

    // Control frames may go between the parts of a message, so they take a place without waiting for room (125
    // bytes at most); they count, so that a ping stuck on a transport that takes nothing is watched too.
    private async Task SendControlAsync(bool ping, ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken)
    {
        ThrowIfControlPayloadTooLong(applicationData);
        EnsureOpenForSending();
        var queue = SendQueue;
        queue.ForceEnter(applicationData.Length);
        try
        {
            await CompleteSendAsync(ping
                ? _engine.SendPingAsync(applicationData, cancellationToken)
                : _engine.SendPongAsync(applicationData, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            queue.Leave(applicationData.Length);
        }
    }

    /// <summary>
    /// A control frame the container sends by itself (the answer to a ping, a keep-alive ping). It is not activity,
    /// and it takes a place in the queue and arms the watchdog like the application's sends, so a peer that pings
    /// but never reads does not hold the receive loop on a full transport beyond the send-queue timeout. Throws what
    /// the engine throws (InvalidOperationException once closed, IOException when the transport fails).
    /// </summary>
    internal async Task SendContainerControlAsync(bool ping, ReadOnlyMemory<byte> payload)
    {
        var queue = SendQueue;
        queue.ForceEnter(payload.Length);
        try
        {
            var pending = ping
                ? _engine.SendPingAsync(payload, CancellationToken.None)
                : _engine.SendPongAsync(payload, CancellationToken.None);
            if (!pending.IsCompleted)
            {
                WatchSlowSend();
            }

            await pending.ConfigureAwait(false);
        }
        finally
        {
            queue.Leave(payload.Length);
        }
    }

    internal async Task SendTextCoreAsync(string text, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        if (_batching)
        {
            // A batched message is copied into the batch (bounded by MaxBatchBytes).
            await SendWholeAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The place is taken before anything is encoded: a sender waiting for room holds only its string. The engine
        // then encodes the text straight into the transport's buffer.
        var length = Encoding.UTF8.GetByteCount(text);
        var queue = SendQueue;
        await EnterQueueAsync(queue, length, cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfSendStalled();
            await CompleteSendAsync(_engine.SendTextAsync(text, length, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _messageGate.Release();
            queue.Leave(length);
        }
    }

    internal async Task SendWholeAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        var batched = false;
        var flushNow = false;
        if (_batching)
        {
            lock (_lock)
            {
                if (_batching)
                {
                    (_batch ??= []).Add((kind, payload.ToArray()));
                    _batchBytes += payload.Length;
                    batched = true;
                    flushNow = _batchBytes >= _context.Settings.MaxBatchBytes;
                }
            }
        }

        if (batched)
        {
            if (flushNow)
            {
                await FlushBatchAsync(cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var queue = SendQueue;
        await EnterQueueAsync(queue, payload.Length, cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfSendStalled();
            await SendFrameAsync(kind, payload, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _messageGate.Release();
            queue.Leave(payload.Length);
        }
    }

    internal async Task SendTextPartAsync(string fragment, bool isLast, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(Encoding.UTF8.GetByteCount(fragment), 1));
        try
        {
            var written = Encoding.UTF8.GetBytes(fragment, buffer);
            await SendPartAsync(WebSocketMessageKind.Text, buffer.AsMemory(0, written), isLast, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// Sends one part of a message; the first part claims the message gate and the last releases it. One
    /// application flow at a time may send a message in parts (as in Jakarta); other messages wait for it.
    /// The first part waits for room in the queue; later parts do not (the messages waiting for room wait for this
    /// one), so a message in parts exceeds the bound by at most its current part.
    internal async Task SendPartAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool isLast, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        var queue = SendQueue;
        if (!Volatile.Read(ref _partialOpen))
        {
            await FlushBatchAsync(cancellationToken).ConfigureAwait(false);
            await EnterQueueAsync(queue, payload.Length, cancellationToken).ConfigureAwait(false);
            _partialKind = kind;
            Volatile.Write(ref _partialOpen, true);
        }
        else if (_partialKind != kind)
        {
            throw new InvalidOperationException(
                $"A {_partialKind.ToString().ToLowerInvariant()} message is being sent in parts; send its last part before a {kind.ToString().ToLowerInvariant()} part.");
        }
        else
        {
            queue.ForceEnter(payload.Length);
        }

        var ended = isLast;
        try
        {
            ThrowIfSendStalled();
            await SendFrameAsync(kind, payload, isLast, cancellationToken).ConfigureAwait(false);
        }
        catch when (!IsOpen)
        {
            ended = true;   // the connection is gone; nothing can continue the message
            throw;
        }
        finally
        {
            queue.Leave(payload.Length);
            if (ended)
            {
                Volatile.Write(ref _partialOpen, false);
                _messageGate.Release();
            }
        }
    }

    /// A message sent in parts that cannot be finished (its encoder failed after parts went out): the peer must not take
    /// the parts it has for a whole message, and no other message may continue it, so the session is closed with 1011
    /// before the message gate is let go.
    internal async Task AbandonPartialMessageAsync()
    {
        if (!Volatile.Read(ref _partialOpen))
        {
            return;
        }

        var reason = new CloseReason(CloseCode.UnexpectedCondition, "A message could not be completed.");
        try
        {
            await CloseCoreAsync(reason, reason, waitForHandshake: false).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _partialOpen, false);
            _messageGate.Release();
        }
    }

    internal async Task SendObjectCoreAsync(object value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        EnsureOpenForSending();
        bool sent;
        try
        {
            sent = await _dispatcher.TrySendObjectAsync(this, value, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (EncodeException or IOException or OperationCanceledException or InvalidOperationException))
        {
            throw new EncodeException(value, $"Encoding a {value.GetType().Name} failed: {ex.Message}", ex);
        }

        if (sent)
        {
            return;
        }

        switch (value)
        {
            case string text:
                await SendTextCoreAsync(text, cancellationToken).ConfigureAwait(false);
                break;
            case Utf8Text utf8:
                await SendWholeAsync(WebSocketMessageKind.Text, utf8.Memory, cancellationToken).ConfigureAwait(false);
                break;
            case bool flag:
                await SendTextCoreAsync(flag ? "true" : "false", cancellationToken).ConfigureAwait(false);
                break;
            case char character:
                await SendTextCoreAsync(character.ToString(), cancellationToken).ConfigureAwait(false);
                break;
            case byte[] bytes:
                await SendWholeAsync(WebSocketMessageKind.Binary, bytes, cancellationToken).ConfigureAwait(false);
                break;
            case ReadOnlyMemory<byte> memory:
                await SendWholeAsync(WebSocketMessageKind.Binary, memory, cancellationToken).ConfigureAwait(false);
                break;
            case Memory<byte> memory:
                await SendWholeAsync(WebSocketMessageKind.Binary, memory, cancellationToken).ConfigureAwait(false);
                break;
            case ArraySegment<byte> segment:
                await SendWholeAsync(WebSocketMessageKind.Binary, segment, cancellationToken).ConfigureAwait(false);
                break;
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or Half or Int128 or UInt128 or nint or nuint:
                // .NET Core 3.0+ formats float and double as the shortest text that round-trips.
                await SendTextCoreAsync(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new EncodeException(
                    value,
                    $"No encoder for type {value.GetType().FullName}: declare one in the endpoint's Encoders, or send a string, Utf8Text, a primitive, byte[] or ReadOnlyMemory<byte>.");
        }
    }

    private ValueTask SendFrameAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool endOfMessage, CancellationToken cancellationToken) =>
        CompleteSendAsync(_engine.SendAsync(kind, payload, endOfMessage, cancellationToken));

    // Waits for a send the engine has started: arms the watchdog if the transport does not take it at once, counts a
    // completed send as activity, and turns the engine's failures into the Jakarta contract (IOException).
    private async ValueTask CompleteSendAsync(ValueTask pending)
    {
        try
        {
            if (!pending.IsCompleted)
            {
                WatchSlowSend();
            }

            await pending.ConfigureAwait(false);
            Touch();
        }
        catch (InvalidOperationException ex)
        {
            throw _sendStalled is null ? ClosedException(ex) : StalledException();
        }
        catch (IOException) when (_sendStalled is not null)
        {
            throw StalledException();
        }
    }

    private ValueTask EnterQueueAsync(SendQueue queue, long bytes, CancellationToken cancellationToken)
    {
        var entered = queue.EnterAsync(bytes, cancellationToken);
        if (!entered.IsCompleted)
        {
            WatchSlowSend();
        }

        return entered;
    }

    private void WatchSlowSend()
    {
        // Infinite (-1 ms) means never.
        if (_context.Settings.SendQueueTimeout > TimeSpan.Zero)
        {
            (_sendWatchdog ?? CreateSendWatchdog()).Arm();
        }
    }

    /// Closes the session after a stalled send with the configured code, on the wire if the transport still takes a
    /// close frame within the close timeout; otherwise (or when another close is itself stuck behind the stalled
    /// send) the transport is aborted, which fails the send stuck on it and ends the receive loop: OnClose then
    /// reports the configured code once.
    private async Task CloseStalledAsync(CloseReason reason)
    {
        try
        {
            if (!_closeReceived && Interlocked.CompareExchange(ref _localCloseReason, reason, null) is null)
            {
                using var timeout = new CancellationTokenSource(_context.Settings.CloseTimeout, _context.Clock);
                try
                {
                    await _engine.CloseOutputAsync((ushort)reason.Code, reason.ReasonPhrase, timeout.Token).ConfigureAwait(false);
                    return;   // the engine aborts the transport itself if the peer does not answer in time
                }
                catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException or ObjectDisposedException)
                {
                    // The close frame could not be written in time.
                }
            }
            else
            {
                try
                {
                    await LoopDone.WaitAsync(_context.Settings.CloseTimeout, _context.Clock).ConfigureAwait(false);
                    return;
                }
                catch (TimeoutException)
                {
                    // The other close is stuck too.
                }
            }
        }
        finally
        {
            if (!LoopDone.IsCompleted && _engine.State != WebSocketEngineState.CloseSent)
            {
                _engine.Abort();
            }
        }
    }

    private void ThrowIfSendStalled()
    {
        if (_sendStalled is not null)
        {
            throw StalledException();
        }
    }

    // One per caller: an exception thrown to several callers would share its stack trace.
    private IOException StalledException() =>
        new(_sendStalled, new TimeoutException($"The send queue made no progress for {_context.Settings.SendQueueTimeout}."));

    private SendQueue CreateSendQueue()
    {
        var created = new SendQueue(_context.Settings.MaxQueuedSendMessages, _context.Settings.MaxQueuedSendBytes, _messageGate);
        return Interlocked.CompareExchange(ref _sendQueue, created, null) ?? created;
    }

    private SendWatchdog CreateSendWatchdog()
    {
        var created = new SendWatchdog(this, _context.Settings.SendQueueTimeout, _context.Clock);
        return Interlocked.CompareExchange(ref _sendWatchdog, created, null) ?? created;
    }

    private void EnsureOpenForSending()
    {
        if (!IsOpen)
        {
            throw ClosedException(null);
        }
    }

    private static void ThrowIfControlPayloadTooLong(ReadOnlyMemory<byte> applicationData)
    {
        if (applicationData.Length > 125)
        {
            throw new ArgumentException(
                $"A ping or pong carries at most 125 bytes; this one has {applicationData.Length}.", nameof(applicationData));
        }
    }

    private IOException ClosedException(Exception? inner) =>
        new($"The WebSocket session {Id} is closed.", inner);

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.SendQueueStalled, Level = LogLevel.Warning, Message = "The peer of WebSocket session {SessionId} took none of the queued bytes for {Timeout}; the sends failed and the session is closed with {CloseCode}.")]
        public static partial void SendQueueStalled(ILogger logger, string sessionId, TimeSpan timeout, int closeCode);
    }
}
