using System.Runtime.CompilerServices;
using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

// Message delivery: which handler takes each data message (a registered message handler first, else the
// generated dispatcher), in which form (whole, parts, or a stream fed while the message arrives), and the
// message handler registry itself.
internal sealed partial class EngineWebSocketSession
{
    private MessageHandler? _textHandler;
    private MessageHandler? _binaryHandler;
    private MessageHandler? _pongHandler;

    // The target chosen when the current message of each kind started; it takes the whole message.
    private InboundMessage? _textInProgress;
    private InboundMessage? _binaryInProgress;

    // Pongs that arrive while a streamed handler runs wait for it: an endpoint sees one callback at a time.
    private List<PongMessage>? _deferredPongs;

    /// <inheritdoc />
    public override IReadOnlyCollection<MessageHandler> MessageHandlers
    {
        get
        {
            lock (_lock)
            {
                var handlers = new List<MessageHandler>(3);
                AddIfNotNull(handlers, _textHandler);
                AddIfNotNull(handlers, _binaryHandler);
                AddIfNotNull(handlers, _pongHandler);
                return handlers.AsReadOnly();
            }
        }
    }

    /// <inheritdoc />
    public override MessageHandler AddMessageHandler(MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            ref var slot = ref HandlerSlot(handler.Kind);
            if (slot is not null)
            {
                var kind = handler.Kind.ToString().ToLowerInvariant();
                throw new InvalidOperationException(
                    $"Session {Id} already has a {kind} message handler (for {slot.MessageType.Name}); remove it before adding another: a session has at most one handler per message kind (text, binary, pong).");
            }

            slot = handler;
        }

        return handler;
    }

    /// <inheritdoc />
    internal override MessageHandler CreateWholeHandler<T>(Func<T, ValueTask> handler) =>
        _dispatcher.CreateDecodingHandler(handler) ?? MessageHandler.Whole(handler);

    /// <inheritdoc />
    public override void RemoveMessageHandler(MessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            ref var slot = ref HandlerSlot(handler.Kind);
            if (ReferenceEquals(slot, handler))
            {
                slot = null;
            }
        }
    }

    private ref MessageHandler? HandlerSlot(MessageHandlerKind kind)
    {
        switch (kind)
        {
            case MessageHandlerKind.Text:
                return ref _textHandler;
            case MessageHandlerKind.Binary:
                return ref _binaryHandler;
            default:
                return ref _pongHandler;
        }
    }

    private static void AddIfNotNull(List<MessageHandler> list, MessageHandler? handler)
    {
        if (handler is not null)
        {
            list.Add(handler);
        }
    }

    private MessageDelivery TextDelivery => Volatile.Read(ref _textHandler)?.Delivery ?? _definition.Text;

    private MessageDelivery BinaryDelivery => Volatile.Read(ref _binaryHandler)?.Delivery ?? _definition.Binary;

    // Computed per receive; the engine applies the policy in force at a message's first frame to the whole message.
    private ReceivePolicy CurrentPolicy()
    {
        var text = TextDelivery;
        var binary = BinaryDelivery;
        var textLimit = _textHandler is null && _definition.MaxTextMessageSize > 0 ? _definition.MaxTextMessageSize : _maxTextMessageBufferSize;
        var binaryLimit = _binaryHandler is null && _definition.MaxBinaryMessageSize > 0 ? _definition.MaxBinaryMessageSize : _maxBinaryMessageBufferSize;
        return new ReceivePolicy(
            WholeText: text == MessageDelivery.Whole,
            MaxTextMessageSize: textLimit,
            WholeBinary: binary == MessageDelivery.Whole,
            MaxBinaryMessageSize: binaryLimit);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnTextAsync(WebSocketEvent received)
    {
        var message = _textInProgress;
        if (message is null)
        {
            if (_localCloseReason is not null)
            {
                return;   // closing: no new message reaches the endpoint
            }

            var handler = Volatile.Read(ref _textHandler);
            var delivery = handler?.Delivery ?? _definition.Text;
            if (delivery == MessageDelivery.None)
            {
                await CloseUnhandledAsync("text").ConfigureAwait(false);
                return;
            }

            if (!await AdmitAsync(EndpointCall.Text).ConfigureAwait(false))
            {
                // Dropped by a rate limit (or the session closed while it waited): so are the message's other parts.
                if (!received.EndOfMessage)
                {
                    _textInProgress = InboundMessage.Dropped;
                }

                return;
            }

            if (delivery == MessageDelivery.Whole && received.EndOfMessage)
            {
                // The common case: one event, no state.
                await DispatchWholeTextAsync(handler, received.Payload).ConfigureAwait(false);
                return;
            }

            message = new InboundMessage(handler, delivery);
            if (delivery == MessageDelivery.Stream)
            {
                var reader = new StreamReader(message.StartStream(), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false);
                message.Run(() => CallEndpointAsync(
                    EndpointCall.Text,
                    static (session, state) => state.Handler is null
                        ? session._dispatcher.OnTextStreamAsync(session, state.Reader)
                        : state.Handler.OnTextStream!(state.Reader),
                    (Handler: handler, Reader: (TextReader)reader)));
            }

            _textInProgress = message;
        }

        if (received.EndOfMessage)
        {
            _textInProgress = null;
        }

        if (message.Delivery == MessageDelivery.None)
        {
            return;   // the rest of a dropped message
        }

        if (message.Delivery == MessageDelivery.Stream)
        {
            await FeedStreamAsync(message, EndpointCall.Text, received.Payload, received.EndOfMessage).ConfigureAwait(false);
        }
        else if (message.Delivery == MessageDelivery.Whole)
        {
            // A whole-message handler was registered after this message's parts had started to be delivered
            // separately (the receive policy is fixed at the first frame): collect them and deliver once.
            message.Buffer(received.Payload.Span);
            if (received.EndOfMessage)
            {
                await DispatchWholeTextAsync(message.Handler, message.TakeBuffered()).ConfigureAwait(false);
            }
        }
        else
        {
            await DispatchTextAsync(message.Handler, Encoding.UTF8.GetString(received.Payload.Span), received.EndOfMessage).ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask OnBinaryAsync(WebSocketEvent received)
    {
        var message = _binaryInProgress;
        if (message is null)
        {
            if (_localCloseReason is not null)
            {
                return;
            }

            var handler = Volatile.Read(ref _binaryHandler);
            var delivery = handler?.Delivery ?? _definition.Binary;
            if (delivery == MessageDelivery.None)
            {
                await CloseUnhandledAsync("binary").ConfigureAwait(false);
                return;
            }

            if (!await AdmitAsync(EndpointCall.Binary).ConfigureAwait(false))
            {
                // Dropped by a rate limit (or the session closed while it waited): so are the message's other parts.
                if (!received.EndOfMessage)
                {
                    _binaryInProgress = InboundMessage.Dropped;
                }

                return;
            }

            if (delivery == MessageDelivery.Whole && received.EndOfMessage)
            {
                await DispatchBinaryAsync(handler, received.Payload, last: true).ConfigureAwait(false);
                return;
            }

            message = new InboundMessage(handler, delivery);
            if (delivery == MessageDelivery.Stream)
            {
                var stream = message.StartStream();
                message.Run(() => CallEndpointAsync(
                    EndpointCall.Binary,
                    static (session, state) => state.Handler is null
                        ? session._dispatcher.OnBinaryStreamAsync(session, state.Stream)
                        : state.Handler.OnBinaryStream!(state.Stream),
                    (Handler: handler, Stream: stream)));
            }

            _binaryInProgress = message;
        }

        if (received.EndOfMessage)
        {
            _binaryInProgress = null;
        }

        if (message.Delivery == MessageDelivery.None)
        {
            return;   // the rest of a dropped message
        }

        if (message.Delivery == MessageDelivery.Stream)
        {
            await FeedStreamAsync(message, EndpointCall.Binary, received.Payload, received.EndOfMessage).ConfigureAwait(false);
        }
        else if (message.Delivery == MessageDelivery.Whole)
        {
            // A whole-message handler was registered after this message's parts had started to be delivered
            // separately (the receive policy is fixed at the first frame): collect them and deliver once.
            message.Buffer(received.Payload.Span);
            if (received.EndOfMessage)
            {
                await DispatchBinaryAsync(message.Handler, message.TakeBuffered(), last: true).ConfigureAwait(false);
            }
        }
        else
        {
            await DispatchBinaryAsync(message.Handler, received.Payload, received.EndOfMessage).ConfigureAwait(false);
        }
    }

    // Writes one part into the pipe the handler reads (waiting while the handler lags behind: the peer is
    // throttled, memory stays bounded); at the end of the message, waits for the handler before the next message.
    private async ValueTask FeedStreamAsync(InboundMessage message, EndpointCall call, ReadOnlyMemory<byte> payload, bool endOfMessage)
    {
        await message.WriteAsync(payload).ConfigureAwait(false);
        if (endOfMessage)
        {
            message.CompleteWriting(null);
            await FinishStreamAsync(message, call).ConfigureAwait(false);
        }
    }

    private async ValueTask FinishStreamAsync(InboundMessage message, EndpointCall call)
    {
        var error = await message.WaitForHandlerAsync().ConfigureAwait(false);
        if (error is not null)
        {
            await RouteErrorAsync(call, error).ConfigureAwait(false);
        }

        if (_deferredPongs is { } pongs)
        {
            _deferredPongs = null;
            foreach (var pong in pongs)
            {
                await OnPongAsync(pong).ConfigureAwait(false);
            }
        }
    }

    // The connection closed in the middle of a streamed message: the reader sees an IOException, and the
    // handler is awaited so that OnClose never overlaps it.
    private async ValueTask AbandonStreamsAsync()
    {
        foreach (var (message, call) in new[] { (_textInProgress, EndpointCall.Text), (_binaryInProgress, EndpointCall.Binary) })
        {
            if (message?.Delivery == MessageDelivery.Stream)
            {
                message.CompleteWriting(new IOException("The connection closed before the message ended."));
                await FinishStreamAsync(message, call).ConfigureAwait(false);
            }
        }

        _textInProgress = null;
        _binaryInProgress = null;
    }

    private ValueTask OnPongAsync(PongMessage pong)
    {
        if (_localCloseReason is not null)
        {
            return default;
        }

        if (_textInProgress?.Delivery == MessageDelivery.Stream || _binaryInProgress?.Delivery == MessageDelivery.Stream)
        {
            (_deferredPongs ??= []).Add(pong);
            return default;
        }

        return _rateLimits?.Pong is null ? DispatchPongAsync(pong) : AdmitPongAsync(pong);
    }

    private async ValueTask AdmitPongAsync(PongMessage pong)
    {
        if (await AdmitAsync(EndpointCall.Pong).ConfigureAwait(false))
        {
            await DispatchPongAsync(pong).ConfigureAwait(false);
        }
    }

    private ValueTask DispatchPongAsync(PongMessage pong)
    {
        if (Volatile.Read(ref _pongHandler) is { } handler)
        {
            return InvokeAsync(EndpointCall.Pong, static (_, state) => state.Handler.OnPong!(state.Pong), (Handler: handler, Pong: pong));
        }

        return _definition.HandlesPong
            ? InvokeAsync(EndpointCall.Pong, static (session, p) => session._dispatcher.OnPongAsync(session, p), pong)
            : default;
    }

    // A whole text message goes to its handler as a string, or as the bytes the engine validated when the handler
    // takes Utf8Text (no decoding: a relay or a UTF-8 JSON reader pays for no transcoding).
    private ValueTask DispatchWholeTextAsync(MessageHandler? handler, ReadOnlyMemory<byte> payload) =>
        (handler is null ? _definition.TextAsUtf8 : handler.OnUtf8Text is not null)
            ? DispatchUtf8TextAsync(handler, Utf8Text.FromValidated(payload))
            : DispatchTextAsync(handler, Encoding.UTF8.GetString(payload.Span), last: true);

    private ValueTask DispatchUtf8TextAsync(MessageHandler? handler, Utf8Text text) =>
        InvokeAsync(
            EndpointCall.Text,
            static (session, state) => state.Handler is null
                ? session._dispatcher.OnUtf8TextAsync(session, state.Text)
                : state.Handler.OnUtf8Text!(state.Text),
            (Handler: handler, Text: text));

    private ValueTask DispatchTextAsync(MessageHandler? handler, string text, bool last) =>
        InvokeAsync(
            EndpointCall.Text,
            static (session, state) => state.Handler is null
                ? session._dispatcher.OnTextAsync(session, state.Text, state.Last)
                : state.Handler.OnText!(state.Text, state.Last),
            (Handler: handler, Text: text, Last: last));

    private ValueTask DispatchBinaryAsync(MessageHandler? handler, ReadOnlyMemory<byte> data, bool last) =>
        InvokeAsync(
            EndpointCall.Binary,
            static (session, state) => state.Handler is null
                ? session._dispatcher.OnBinaryAsync(session, state.Data, state.Last)
                : state.Handler.OnBinary!(state.Data, state.Last),
            (Handler: handler, Data: data, Last: last));
}
