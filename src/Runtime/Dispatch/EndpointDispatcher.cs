namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// Calls one endpoint instance's handler methods. The source generator emits a sealed subclass per
/// annotated endpoint whose overrides call the user's methods directly with converted arguments; the
/// session creates one dispatcher per connection and calls it one message at a time. Exceptions thrown by
/// an override are routed by the session to <see cref="OnErrorAsync"/>.
/// </summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public abstract class EndpointDispatcher
{
    /// <summary>The endpoint instance this dispatcher calls.</summary>
    public abstract object Endpoint { get; }

    /// <summary>Whether the endpoint has an <see cref="OnErrorAttribute"/> method.</summary>
    public virtual bool HasErrorHandler => false;

    /// <summary>
    /// Whether the <see cref="OnErrorAttribute"/> method accepts this exception; the session logs the ones it does
    /// not. An <see cref="OnErrorAttribute"/> method whose parameter is narrower than <see cref="Exception"/>
    /// accepts only exceptions of that type. The default is <see cref="HasErrorHandler"/>.
    /// </summary>
    /// <param name="error">The error, never wrapped.</param>
    public virtual bool HandlesError(Exception error) => HasErrorHandler;

    /// <summary>
    /// Creates this session's instance of every coder the endpoint declares and calls
    /// <see cref="ICoder.Init"/> on each. Called once per session, before <see cref="OnOpenAsync"/>.
    /// </summary>
    /// <param name="config">The configuration the endpoint was deployed with.</param>
    public virtual void InitializeCoders(EndpointConfig config)
    {
    }

    /// <summary>Calls <see cref="ICoder.Destroy"/> on each coder instance. Called once per session, after <see cref="OnCloseAsync"/>.</summary>
    public virtual void DestroyCoders()
    {
    }

    /// <summary>
    /// A handler of whole messages that decodes them into <typeparamref name="T"/> with the session's decoders, or null
    /// when none makes a <typeparamref name="T"/> (the handler is then one of a native type). Only a programmatic
    /// endpoint's dispatcher has such decoders (<see cref="EndpointConfig.Coders"/>); generated ones decode themselves.
    /// </summary>
    /// <exception cref="ArgumentException">Decoders of both text and binary messages make a <typeparamref name="T"/>.</exception>
    internal virtual MessageHandler? CreateDecodingHandler<T>(Func<T, ValueTask> handler) => null;

    /// <summary>
    /// Encodes <paramref name="value"/> with the first of the endpoint's encoders (in declaration order)
    /// whose type the value is assignable to, and sends it through <paramref name="remote"/>.
    /// </summary>
    /// <param name="remote">Where the encoded message goes.</param>
    /// <param name="value">The object to send.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>False when no encoder of the endpoint applies to the value.</returns>
    /// <exception cref="EncodeException">The encoder failed.</exception>
    public virtual ValueTask<bool> TrySendObjectAsync(IBasicRemoteEndpoint remote, object value, CancellationToken cancellationToken) =>
        new(false);

    /// <summary>
    /// Encodes <paramref name="value"/> once with the first of the endpoint's encoders (in declaration order) whose
    /// type the value is assignable to, into a message that can be sent to many sessions (a broadcast): text and
    /// UTF-8 text encoders give a text message, binary encoders a binary one, stream encoders write into a buffer that
    /// becomes the message. Nothing is sent.
    /// </summary>
    /// <param name="value">The object to encode.</param>
    /// <returns>The message, or null when no encoder of the endpoint applies to the value.</returns>
    /// <exception cref="EncodeException">The encoder failed.</exception>
    public virtual ValueTask<PreparedMessage?> TryEncodeObjectAsync(object value) => new((PreparedMessage?)null);

    /// <summary>
    /// Gives up a message being written through <see cref="IBasicRemoteEndpoint.GetSendStream"/> or
    /// <see cref="IBasicRemoteEndpoint.GetSendWriter"/> because its encoder failed: nothing more of it is sent, and
    /// when parts of it already went out the session is closed with 1011 (unexpected condition), so the peer never
    /// takes a cut-off message for a whole one.
    /// </summary>
    /// <param name="output">The stream or writer the session handed out.</param>
    /// <returns>A task that completes when the message is abandoned.</returns>
    protected static ValueTask AbandonMessageAsync(IAsyncDisposable output) => output switch
    {
        IAbandonableOutput stream => stream.AbandonAsync(),
        StreamWriter { BaseStream: IAbandonableOutput stream } => stream.AbandonAsync(),
        null => throw new ArgumentNullException(nameof(output)),
        _ => output.DisposeAsync(),
    };

    /// <summary>Calls the <see cref="OnOpenAttribute"/> method, if any.</summary>
    /// <param name="session">The new session.</param>
    /// <param name="config">The configuration the endpoint was deployed with.</param>
    public virtual ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config) => default;

    /// <summary>Calls the text handler with a whole message, or with one part of it.</summary>
    /// <param name="session">The session the message arrived on.</param>
    /// <param name="text">The text, or the part of it.</param>
    /// <param name="last">Whether this is the whole message or its last part.</param>
    public virtual ValueTask OnTextAsync(WebSocketSession session, string text, bool last) => default;

    /// <summary>
    /// Calls the text handler that takes whole messages as <see cref="Utf8Text"/>: the message's bytes as they
    /// arrived, already validated, with no UTF-16 decoding. Called instead of <see cref="OnTextAsync"/> when the
    /// definition's <see cref="AnnotatedEndpointDefinition.TextAsUtf8"/> is true.
    /// </summary>
    /// <param name="session">The session the message arrived on.</param>
    /// <param name="text">The whole message; valid only during the call.</param>
    public virtual ValueTask OnUtf8TextAsync(WebSocketSession session, Utf8Text text) => default;

    /// <summary>Calls the streamed text handler; the reader yields the message while it arrives.</summary>
    /// <param name="session">The session the message arrived on.</param>
    /// <param name="reader">The message text; it ends where the message ends.</param>
    public virtual ValueTask OnTextStreamAsync(WebSocketSession session, TextReader reader) => default;

    /// <summary>Calls the binary handler with a whole message, or with one part of it.</summary>
    /// <param name="session">The session the message arrived on.</param>
    /// <param name="data">The bytes; valid only during the call.</param>
    /// <param name="last">Whether this is the whole message or its last part.</param>
    public virtual ValueTask OnBinaryAsync(WebSocketSession session, ReadOnlyMemory<byte> data, bool last) => default;

    /// <summary>Calls the streamed binary handler; the stream yields the message while it arrives.</summary>
    /// <param name="session">The session the message arrived on.</param>
    /// <param name="stream">The message bytes; the stream ends where the message ends.</param>
    public virtual ValueTask OnBinaryStreamAsync(WebSocketSession session, Stream stream) => default;

    /// <summary>Calls the <see cref="PongMessage"/> handler.</summary>
    /// <param name="session">The session the pong arrived on.</param>
    /// <param name="pong">The pong.</param>
    public virtual ValueTask OnPongAsync(WebSocketSession session, PongMessage pong) => default;

    /// <summary>Calls the <see cref="OnErrorAttribute"/> method, if any.</summary>
    /// <param name="session">The session the error happened in.</param>
    /// <param name="error">The error, never wrapped.</param>
    public virtual ValueTask OnErrorAsync(WebSocketSession session, Exception error) => default;

    /// <summary>Calls the <see cref="OnCloseAttribute"/> method, if any. Called exactly once per session.</summary>
    /// <param name="session">The closing session.</param>
    /// <param name="reason">Why it closed.</param>
    public virtual ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason) => default;
}
