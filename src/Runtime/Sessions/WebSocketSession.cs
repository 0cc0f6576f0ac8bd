using System.Security.Claims;

namespace Annotated.WebSockets;

/// <summary>
/// One conversation between an endpoint and a peer. There is exactly one session per connection; it is
/// passed to the endpoint's handlers and stays valid until its <see cref="OnCloseAttribute"/> method returns.
/// </summary>
public abstract class WebSocketSession
{
    /// <summary>A unique identifier of this session within the process.</summary>
    public abstract string Id { get; }

    /// <summary>Whether the session is open: messages can be sent and received.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Whether the connection is secured by TLS (<c>wss</c>).</summary>
    public abstract bool IsSecure { get; }

    /// <summary>The full URI of the opening handshake request, including the query string.</summary>
    public abstract Uri RequestUri { get; }

    /// <summary>The query string of the handshake request without the leading <c>?</c>, or null when there is none.</summary>
    public abstract string? QueryString { get; }

    /// <summary>The values of the endpoint's URI template variables for this connection.</summary>
    public abstract IReadOnlyDictionary<string, string> PathParameters { get; }

    /// <summary>The query parameters (multi-valued) and the path parameters of the handshake request.</summary>
    public abstract IReadOnlyDictionary<string, IReadOnlyList<string>> RequestParameters { get; }

    /// <summary>Properties of this session; starts as a shallow copy of the endpoint configuration's.</summary>
    public abstract IDictionary<string, object?> UserProperties { get; }

    /// <summary>The open sessions of the same endpoint, this one included.</summary>
    public abstract IReadOnlyCollection<WebSocketSession> OpenSessions { get; }

    /// <summary>The subprotocol agreed in the handshake, or the empty string when there is none.</summary>
    public abstract string NegotiatedSubprotocol { get; }

    /// <summary>The authenticated user of the handshake request, or null.</summary>
    public abstract ClaimsPrincipal? User { get; }

    /// <summary>Sends to the peer; each task completes when the message is written.</summary>
    public abstract IBasicRemoteEndpoint BasicRemote { get; }

    /// <summary>
    /// Sends to the peer without waiting; tasks or callbacks report completion.
    /// Sessions made by the server and client containers support it.
    /// </summary>
    /// <exception cref="NotSupportedException">This session type has no asynchronous remote.</exception>
    public virtual IAsyncRemoteEndpoint AsyncRemote =>
        throw new NotSupportedException($"{GetType().Name} has no asynchronous remote endpoint.");

    /// <summary>The extensions agreed in the handshake (for example <c>permessage-deflate</c>); empty when none.</summary>
    public virtual IReadOnlyList<Extension> NegotiatedExtensions => [];

    /// <summary>
    /// The container the session belongs to (Jakarta's <c>getContainer</c>): on the server the application's
    /// <c>IServerContainer</c>, on the client the <c>WebSocketContainer</c> that connected it.
    /// </summary>
    /// <exception cref="NotSupportedException">This session type belongs to no container (a test double).</exception>
    public virtual IWebSocketContainer Container =>
        throw new NotSupportedException($"{GetType().Name} belongs to no container.");

    /// <summary>The WebSocket protocol version of the handshake: always <c>"13"</c>.</summary>
    public string ProtocolVersion => "13";

    /// <summary>
    /// How long the session may go without a message or control frame sent or received before the container
    /// closes it (1001 on the wire; the close handler sees 1006 and a reason saying so). Zero or negative
    /// disables it. Starts at <see cref="WebSocketSessionOptions.MaxIdleTimeout"/> (5 minutes by default).
    /// </summary>
    public virtual TimeSpan MaxIdleTimeout { get; set; }

    /// <summary>
    /// The largest whole text message, in UTF-8 bytes, the session buffers; a bigger one closes the session
    /// with 1009. A handler's <see cref="OnMessageAttribute.MaxMessageSize"/> takes precedence. Partial and
    /// streamed handlers are not limited by it. Starts at <see cref="WebSocketSessionOptions.MaxTextMessageBufferSize"/> (1 MiB by default).
    /// </summary>
    public virtual int MaxTextMessageBufferSize { get; set; }

    /// <summary>
    /// The largest whole binary message the session buffers; a bigger one closes the session with 1009. A
    /// handler's <see cref="OnMessageAttribute.MaxMessageSize"/> takes precedence. Partial and streamed handlers
    /// are not limited by it. Starts at <see cref="WebSocketSessionOptions.MaxBinaryMessageBufferSize"/> (1 MiB by default).
    /// </summary>
    public virtual int MaxBinaryMessageBufferSize { get; set; }

    /// <summary>The message handlers registered on this session (a snapshot).</summary>
    public virtual IReadOnlyCollection<MessageHandler> MessageHandlers => [];

    /// <summary>Registers a handler of whole messages of type <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">
    /// string, Utf8Text, TextReader, byte[], ReadOnlyMemory&lt;byte&gt;, ArraySegment&lt;byte&gt;, Stream or PongMessage,
    /// or a type the decoders of the endpoint configuration's <see cref="EndpointConfig.Coders"/> make.
    /// </typeparam>
    /// <param name="handler">Called once per message.</param>
    /// <returns>The registration, for <see cref="RemoveMessageHandler"/>.</returns>
    /// <exception cref="InvalidOperationException">A handler for the same native kind (text, binary, pong) is already registered.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported message type.</exception>
    public MessageHandler AddMessageHandler<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddMessageHandler(CreateWholeHandler<T>(message =>
        {
            handler(message);
            return default;
        }));
    }

    /// <summary>
    /// Registers an asynchronous handler of whole messages; the next message waits for the returned task. (There is
    /// no <c>ValueTask</c> overload: an <c>async</c> lambda would then be ambiguous.)
    /// </summary>
    /// <typeparam name="T">A native message type or a decoded one, as for <see cref="AddMessageHandler{T}(Action{T})"/>.</typeparam>
    /// <param name="handler">Called once per message.</param>
    /// <returns>The registration, for <see cref="RemoveMessageHandler"/>.</returns>
    /// <exception cref="InvalidOperationException">A handler for the same native kind is already registered.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported message type.</exception>
    public MessageHandler AddMessageHandler<T>(Func<T, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddMessageHandler(CreateWholeHandler<T>(message => new ValueTask(handler(message))));
    }

    /// <summary>
    /// Makes a whole-message handler of <typeparamref name="T"/>: one that decodes with the endpoint's configured
    /// decoders when they make a <typeparamref name="T"/>, else one of the native types.
    /// </summary>
    internal virtual MessageHandler CreateWholeHandler<T>(Func<T, ValueTask> handler) => MessageHandler.Whole(handler);

    /// <summary>Registers a handler of message parts: called for each part with a flag telling whether it is the last.</summary>
    /// <typeparam name="T">string, byte[], ReadOnlyMemory&lt;byte&gt; or ArraySegment&lt;byte&gt;.</typeparam>
    /// <param name="handler">Called once per part.</param>
    /// <returns>The registration, for <see cref="RemoveMessageHandler"/>.</returns>
    /// <exception cref="InvalidOperationException">A handler for the same native kind is already registered.</exception>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a supported message type.</exception>
    public MessageHandler AddMessageHandler<T>(Action<T, bool> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return AddMessageHandler(MessageHandler.Partial<T>((part, last) =>
        {
            handler(part, last);
            return default;
        }));
    }

    /// <summary>
    /// Registers a handler. The handler chosen when a message starts takes the whole message, even if handlers
    /// change meanwhile. Sessions made by the server and client containers support it.
    /// </summary>
    /// <param name="handler">The handler, made by one of the generic overloads.</param>
    /// <returns><paramref name="handler"/>.</returns>
    /// <exception cref="InvalidOperationException">A handler for the same native kind is already registered.</exception>
    /// <exception cref="NotSupportedException">This session type takes no message handlers.</exception>
    public virtual MessageHandler AddMessageHandler(MessageHandler handler) =>
        throw new NotSupportedException($"{GetType().Name} does not take message handlers.");

    /// <summary>Removes a handler registered on this session; does nothing when it is not registered.</summary>
    /// <param name="handler">The registration returned by <c>AddMessageHandler</c>.</param>
    public virtual void RemoveMessageHandler(MessageHandler handler)
    {
    }

    /// <summary>Closes the session with a normal closure (1000).</summary>
    /// <returns>A task that completes when the close handshake has finished or timed out.</returns>
    public Task CloseAsync() => CloseAsync(CloseReason.NormalClosure);

    /// <summary>Closes the session with <paramref name="reason"/>.</summary>
    /// <param name="reason">The code and phrase sent to the peer and reported to the local close handler.</param>
    /// <returns>A task that completes when the close handshake has finished or timed out.</returns>
    public abstract Task CloseAsync(CloseReason reason);
}
