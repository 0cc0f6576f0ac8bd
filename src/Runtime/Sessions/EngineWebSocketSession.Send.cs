using System.Buffers;
using System.Globalization;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

// The sending side shared by BasicRemote (this class) and AsyncRemote: whole messages, messages in parts
// (partial sends, send streams and writers), objects through the endpoint's encoders or the built-in forms,
// batching, pings and pongs.
internal sealed partial class EngineWebSocketSession
{
    // Held for a whole message, or from the first to the last part of a message sent in parts, so that no
    // other message lands between its fragments. Uncontended it completes synchronously.
    private readonly SemaphoreSlim _messageGate = new(1, 1);
    private readonly object _batchLock = new();
    private bool _partialOpen;                 // guarded by _messageGate
    private WebSocketMessageKind _partialKind;
    private volatile bool _batching;           // written under _batchLock; read without it on the hot path
    private List<(WebSocketMessageKind Kind, byte[] Payload)>? _batch;
    private long _batchBytes;

    /// <inheritdoc />
    public bool BatchingAllowed
    {
        get => _batching;

        set
        {
            lock (_batchLock)
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
        lock (_batchLock)
        {
            if (_batch is null)
            {
                return;
            }
        }

        await _messageGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Taken under the gate so that two flushes cannot reorder the batch.
            List<(WebSocketMessageKind Kind, byte[] Payload)>? batch;
            lock (_batchLock)
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
            foreach (var (kind, payload) in batch)
            {
                await SendFrameAsync(kind, payload, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _messageGate.Release();
        }
    }

    Task IBasicRemoteEndpoint.SendTextAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendTextCoreAsync(text, cancellationToken);
    }

    Task IBasicRemoteEndpoint.SendBinaryAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        SendWholeAsync(WebSocketMessageKind.Binary, data, cancellationToken);

    Task IBasicRemoteEndpoint.SendObjectAsync(object value, CancellationToken cancellationToken) =>
        SendObjectCoreAsync(value, cancellationToken);

    Task IBasicRemoteEndpoint.SendTextAsync(string fragment, bool isLast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return SendTextPartAsync(fragment, isLast, cancellationToken);
    }

    Task IBasicRemoteEndpoint.SendBinaryAsync(ReadOnlyMemory<byte> fragment, bool isLast, CancellationToken cancellationToken) =>
        SendPartAsync(WebSocketMessageKind.Binary, fragment, isLast, cancellationToken);

    Stream IBasicRemoteEndpoint.GetSendStream() => new MessageSendStream(this, WebSocketMessageKind.Binary);

    TextWriter IBasicRemoteEndpoint.GetSendWriter() =>
        new StreamWriter(new MessageSendStream(this, WebSocketMessageKind.Text), new UTF8Encoding(false), MessageSendStream.BufferSize);

    async Task IRemoteEndpoint.SendPingAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken)
    {
        ThrowIfControlPayloadTooLong(applicationData);
        EnsureOpenForSending();
        try
        {
            await _engine.SendPingAsync(applicationData, cancellationToken).ConfigureAwait(false);
            Touch();
        }
        catch (InvalidOperationException ex)
        {
            throw ClosedException(ex);
        }
    }

    async Task IRemoteEndpoint.SendPongAsync(ReadOnlyMemory<byte> applicationData, CancellationToken cancellationToken)
    {
        ThrowIfControlPayloadTooLong(applicationData);
        EnsureOpenForSending();
        try
        {
            await _engine.SendPongAsync(applicationData, cancellationToken).ConfigureAwait(false);
            Touch();
        }
        catch (InvalidOperationException ex)
        {
            throw ClosedException(ex);
        }
    }

    internal async Task SendTextCoreAsync(string text, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        var length = text.Length <= 4096 ? Encoding.UTF8.GetMaxByteCount(text.Length) : Encoding.UTF8.GetByteCount(text);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var written = Encoding.UTF8.GetBytes(text, buffer);
            await SendWholeAsync(WebSocketMessageKind.Text, buffer.AsMemory(0, written), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal async Task SendWholeAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        var batched = false;
        var flushNow = false;
        if (_batching)
        {
            lock (_batchLock)
            {
                if (_batching)
                {
                    (_batch ??= []).Add((kind, payload.ToArray()));
                    _batchBytes += payload.Length;
                    batched = true;
                    flushNow = _batchBytes >= _settings.MaxBatchBytes;
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

        await _messageGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SendFrameAsync(kind, payload, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _messageGate.Release();
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
    internal async Task SendPartAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool isLast, CancellationToken cancellationToken)
    {
        EnsureOpenForSending();
        if (!Volatile.Read(ref _partialOpen))
        {
            await FlushBatchAsync(cancellationToken).ConfigureAwait(false);
            await _messageGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            _partialKind = kind;
            Volatile.Write(ref _partialOpen, true);
        }
        else if (_partialKind != kind)
        {
            throw new InvalidOperationException(
                $"A {_partialKind.ToString().ToLowerInvariant()} message is being sent in parts; send its last part before a {kind.ToString().ToLowerInvariant()} part.");
        }

        var ended = isLast;
        try
        {
            await SendFrameAsync(kind, payload, isLast, cancellationToken).ConfigureAwait(false);
        }
        catch when (!IsOpen)
        {
            ended = true;   // the connection is gone; nothing can continue the message
            throw;
        }
        finally
        {
            if (ended)
            {
                Volatile.Write(ref _partialOpen, false);
                _messageGate.Release();
            }
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
                    $"No encoder for type {value.GetType().FullName}: declare one in the endpoint's Encoders, or send a string, a primitive, byte[] or ReadOnlyMemory<byte>.");
        }
    }

    private async ValueTask SendFrameAsync(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool endOfMessage, CancellationToken cancellationToken)
    {
        try
        {
            await _engine.SendAsync(kind, payload, endOfMessage, cancellationToken).ConfigureAwait(false);
            Touch();
        }
        catch (InvalidOperationException ex)
        {
            throw ClosedException(ex);
        }
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
}
