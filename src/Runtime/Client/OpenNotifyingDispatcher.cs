using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Client;

/// Wraps the endpoint's dispatcher to tell the container when OnOpen has finished (or the session ended before
/// that), so ConnectToServerAsync returns a session whose endpoint has already seen OnOpen, as
/// Jakarta's connectToServer does. Everything else passes straight through: every virtual member of
/// EndpointDispatcher must be forwarded here (a test in Runtime.Tests/Client checks that none is missed).
internal sealed class OpenNotifyingDispatcher(EndpointDispatcher inner) : EndpointDispatcher
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// Completes once OnOpen has returned or thrown (the exception went to OnError, the session is open).
    public Task Opened => _opened.Task;

    public override object Endpoint => inner.Endpoint;

    public override bool HasErrorHandler => inner.HasErrorHandler;

    public override bool HandlesError(Exception error) => inner.HandlesError(error);

    public override void InitializeCoders(EndpointConfig config) => inner.InitializeCoders(config);

    public override void DestroyCoders() => inner.DestroyCoders();

    public override ValueTask<bool> TrySendObjectAsync(IBasicRemoteEndpoint remote, object value, CancellationToken cancellationToken) =>
        inner.TrySendObjectAsync(remote, value, cancellationToken);

    public override ValueTask<PreparedMessage?> TryEncodeObjectAsync(object value) => inner.TryEncodeObjectAsync(value);

    internal override MessageHandler? CreateDecodingHandler<T>(Func<T, ValueTask> handler) => inner.CreateDecodingHandler(handler);

    public override async ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config)
    {
        try
        {
            await inner.OnOpenAsync(session, config).ConfigureAwait(false);
        }
        finally
        {
            _opened.TrySetResult();
        }
    }

    public override ValueTask OnTextAsync(WebSocketSession session, string text, bool last) => inner.OnTextAsync(session, text, last);

    public override ValueTask OnUtf8TextAsync(WebSocketSession session, Utf8Text text) => inner.OnUtf8TextAsync(session, text);

    public override ValueTask OnTextStreamAsync(WebSocketSession session, TextReader reader) => inner.OnTextStreamAsync(session, reader);

    public override ValueTask OnBinaryAsync(WebSocketSession session, ReadOnlyMemory<byte> data, bool last) => inner.OnBinaryAsync(session, data, last);

    public override ValueTask OnBinaryStreamAsync(WebSocketSession session, Stream stream) => inner.OnBinaryStreamAsync(session, stream);

    public override ValueTask OnPongAsync(WebSocketSession session, PongMessage pong) => inner.OnPongAsync(session, pong);

    public override ValueTask OnErrorAsync(WebSocketSession session, Exception error) => inner.OnErrorAsync(session, error);

    public override ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason)
    {
        _opened.TrySetResult();
        return inner.OnCloseAsync(session, reason);
    }
}
