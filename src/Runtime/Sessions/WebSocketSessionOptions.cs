using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets;

/// <summary>
/// The limits and timeouts every session starts with, the same on the server
/// (<c>AnnotatedWebSocketsOptions.Sessions</c>) and on the client (<c>WebSocketContainer.SessionOptions</c>).
/// Every limit has a finite default, and every setter rejects a value that cannot work with
/// <see cref="ArgumentOutOfRangeException"/>, so a mistake shows where it is made rather than in a running session.
/// </summary>
/// <remarks>
/// A session copies these values when it opens: a change applies to sessions opened afterwards. On the server the
/// options are read when the server container starts, so set them in <c>AddAnnotatedWebSockets(options =&gt; …)</c>.
/// The largest finite timeout any setter accepts is <see cref="int.MaxValue"/> milliseconds (about 24.8 days).
/// </remarks>
public sealed class WebSocketSessionOptions
{
    private const int OneMebibyte = 1024 * 1024;

    private int _maxTextMessageBufferSize = OneMebibyte;
    private int _maxBinaryMessageBufferSize = OneMebibyte;
    private int _maxFramePayloadSize = OneMebibyte;
    private TimeSpan _maxIdleTimeout = TimeSpan.FromMinutes(5);
    private TimeSpan _keepAlivePingInterval = TimeSpan.Zero;
    private TimeSpan _asyncSendTimeout = TimeSpan.Zero;
    private TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _messageReceiveTimeout = TimeSpan.FromMinutes(5);
    private long _maxQueuedSendBytes = OneMebibyte;
    private int _maxQueuedSendMessages = 1024;
    private TimeSpan _sendQueueTimeout = TimeSpan.FromSeconds(30);
    private CloseCode _sendQueueTimeoutCloseCode = CloseCode.ViolatedPolicy;

    /// <summary>
    /// The largest whole text message, in UTF-8 bytes, a session buffers when the handler sets no
    /// <see cref="OnMessageAttribute.MaxMessageSize"/>; it is where <see cref="WebSocketSession.MaxTextMessageBufferSize"/>
    /// starts. A larger message closes the session with 1009 (message too big). Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxTextMessageBufferSize
    {
        get => _maxTextMessageBufferSize;
        set => _maxTextMessageBufferSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// The largest whole binary message, in bytes, a session buffers when the handler sets no
    /// <see cref="OnMessageAttribute.MaxMessageSize"/>; it is where <see cref="WebSocketSession.MaxBinaryMessageBufferSize"/>
    /// starts. A larger message closes the session with 1009 (message too big). Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxBinaryMessageBufferSize
    {
        get => _maxBinaryMessageBufferSize;
        set => _maxBinaryMessageBufferSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// The largest payload of a single incoming frame, in bytes, decided from the frame's header before any of its
    /// payload is buffered; a larger frame closes the session with 1009. It also bounds each part delivered to
    /// partial handlers, which no message limit covers. Default: 1 MiB.
    /// </summary>
    /// <remarks>
    /// A server endpoint applies it as it is: raise it with the message buffer sizes when clients send large
    /// messages as one frame (browsers do). A client session applies at least its largest whole-message limit (these
    /// options' and the endpoint's <see cref="OnMessageAttribute.MaxMessageSize"/>), because servers commonly send a
    /// message as one frame and a client cannot ask them not to.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxFramePayloadSize
    {
        get => _maxFramePayloadSize;
        set => _maxFramePayloadSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How long a session may go without any message or control frame sent or received (pings and pongs count)
    /// before it is closed; it is where <see cref="WebSocketSession.MaxIdleTimeout"/> starts.
    /// <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/>: never. Default: 5 minutes.
    /// </summary>
    /// <remarks>
    /// An idle session is closed with <see cref="CloseCode.GoingAway"/> (1001) on the wire, while the endpoint's own
    /// close handler sees <see cref="CloseCode.ClosedAbnormally"/> (1006), as the Jakarta specification (§2.1.5) asks
    /// for a locally initiated close, so the endpoint can tell it from a close the peer asked for. A frame counts when
    /// it is complete: bytes trickling in are not activity. Any length is accepted, up to <see cref="TimeSpan.MaxValue"/>
    /// (Jakarta's <c>long</c> milliseconds beyond it mean the same: never in practice): the timeout is checked on the
    /// container's heartbeat against the time of the last activity, and no timer is armed with it.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan MaxIdleTimeout
    {
        get => _maxIdleTimeout;
        set => _maxIdleTimeout = SettingGuard.ZeroOrPositiveUnbounded(value, "idle timeout");
    }

    /// <summary>
    /// When positive, every open session sends an empty ping at this interval, to keep intermediaries (proxies, load
    /// balancers, NATs) from dropping quiet connections. <see cref="TimeSpan.Zero"/> (the default) or
    /// <see cref="Timeout.InfiniteTimeSpan"/>: none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or too large.</exception>
    public TimeSpan KeepAlivePingInterval
    {
        get => _keepAlivePingInterval;
        set => _keepAlivePingInterval = SettingGuard.ZeroOrPositiveOrInfinite(value, "keep-alive ping interval");
    }

    /// <summary>
    /// The <see cref="IAsyncRemoteEndpoint.SendTimeout"/> each session's <see cref="WebSocketSession.AsyncRemote"/>
    /// starts with: an asynchronous send that has not finished within it completes with a
    /// <see cref="TimeoutException"/> (a frame already handed to the connection still goes out).
    /// <see cref="TimeSpan.Zero"/> (the default) or <see cref="Timeout.InfiniteTimeSpan"/>: no limit.
    /// </summary>
    /// <remarks>
    /// No limit by default because <see cref="SendQueueTimeout"/> already fails the sends to a peer that takes nothing,
    /// while a deadline on a whole send would fail a large message to a slow but live peer. Set it when a send must
    /// finish within a fixed time whatever the peer does.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or too large.</exception>
    public TimeSpan AsyncSendTimeout
    {
        get => _asyncSendTimeout;
        set => _asyncSendTimeout = SettingGuard.ZeroOrPositiveOrInfinite(value, "async send timeout");
    }

    /// <summary>
    /// How long a closing session waits for the peer's close frame after sending its own (and how long it tries to
    /// write its close frame) before it drops the connection. Default: 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is too large.</exception>
    public TimeSpan CloseTimeout
    {
        get => _closeTimeout;
        set => _closeTimeout = SettingGuard.Positive(value, "close timeout");
    }

    /// <summary>
    /// How long an incoming message may take from its first frame to its last; a peer still sending it after that
    /// (trickling it, or keeping it open with pings, which count as activity for <see cref="MaxIdleTimeout"/>) is
    /// closed with 1008 (policy violation) when its next bytes arrive. <see cref="Timeout.InfiniteTimeSpan"/>: no
    /// limit. Default: 5 minutes; raise it for endpoints that stream very large messages over slow links.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>, or is too large.</exception>
    public TimeSpan MessageReceiveTimeout
    {
        get => _messageReceiveTimeout;
        set => _messageReceiveTimeout = SettingGuard.PositiveOrInfinite(value, "message receive timeout");
    }

    /// <summary>
    /// How many bytes of accepted messages may wait to be written to one session (the message being written counts);
    /// further senders wait for room, so a slow peer cannot make the application buffer without bound. A single
    /// larger message is accepted when nothing else is queued (it is written in pieces of this size). Default: 1 MiB.
    /// </summary>
    /// <remarks>A sender waiting for room holds no buffer: its message is encoded once it is accepted.
    /// See <see cref="SendQueueTimeout"/> for what happens when the peer stops reading.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxQueuedSendBytes
    {
        get => _maxQueuedSendBytes;
        set => _maxQueuedSendBytes = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How many accepted messages may wait to be written to one session (the message being written counts; pings and
    /// pongs the application sends count too); further senders wait for room. Default: 1024.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxQueuedSendMessages
    {
        get => _maxQueuedSendMessages;
        set => _maxQueuedSendMessages = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How long a session's peer may take none of the queued bytes while messages are queued or senders wait for
    /// room. When it passes, every queued and waiting send fails with an <see cref="IOException"/> (its inner
    /// exception a <see cref="TimeoutException"/>) and the session is closed with
    /// <see cref="SendQueueTimeoutCloseCode"/>. <see cref="Timeout.InfiniteTimeSpan"/>: senders wait as long as the
    /// peer does. Default: 30 seconds.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The timeout measures a lack of progress, not the time a message takes: a large message that a slow but
    /// live peer reads piece by piece does not time out. 30 seconds (the default client timeout of ASP.NET Core
    /// SignalR) is long enough for a congested or mobile link to drain some bytes, and short enough that a
    /// half-open connection (a peer that vanished without a FIN) does not hold a sender and the queued messages
    /// for minutes until TCP gives up.
    /// </para>
    /// <para>
    /// The close frame is tried for <see cref="CloseTimeout"/>; a full transport usually cannot take it, and the
    /// connection is then dropped. The endpoint's close handler runs once, with <see cref="SendQueueTimeoutCloseCode"/>.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>, or is too large.</exception>
    public TimeSpan SendQueueTimeout
    {
        get => _sendQueueTimeout;
        set => _sendQueueTimeout = SettingGuard.PositiveOrInfinite(value, "send queue timeout");
    }

    /// <summary>
    /// The close code of a session closed by <see cref="SendQueueTimeout"/>, on the wire and in the endpoint's
    /// close handler: <see cref="CloseCode.ViolatedPolicy"/> (1008, the default: the peer broke the rule that it must
    /// read what it is sent) or <see cref="CloseCode.UnexpectedCondition"/> (1011).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is another code.</exception>
    public CloseCode SendQueueTimeoutCloseCode
    {
        get => _sendQueueTimeoutCloseCode;
        set => _sendQueueTimeoutCloseCode = SettingGuard.SendQueueTimeoutCloseCode(value);
    }

    /// <summary>A copy, which later changes to these options do not affect.</summary>
    internal WebSocketSessionOptions Clone() => (WebSocketSessionOptions)MemberwiseClone();

    /// <summary>The settings a session starts with, copied from these options.</summary>
    internal SessionSettings ToSessionSettings() => new()
    {
        MaxTextMessageBufferSize = _maxTextMessageBufferSize,
        MaxBinaryMessageBufferSize = _maxBinaryMessageBufferSize,
        IdleTimeout = _maxIdleTimeout,
        KeepAlivePingInterval = _keepAlivePingInterval,
        SendTimeout = _asyncSendTimeout,
        CloseTimeout = _closeTimeout,
        MaxQueuedSendBytes = _maxQueuedSendBytes,
        MaxQueuedSendMessages = _maxQueuedSendMessages,
        SendQueueTimeout = _sendQueueTimeout,
        SendQueueTimeoutCloseCode = _sendQueueTimeoutCloseCode,
    };

    /// <summary>
    /// The engine options of one connection: the shared limits from these options, the rest (role, negotiated
    /// compression, transport kind) from the container.
    /// </summary>
    /// <param name="role">Which end of the connection the engine is.</param>
    /// <param name="writesReachPeer">Whether every write to the transport reaches the peer without a flush.</param>
    /// <param name="clock">The container's clock, for the close and message receive timeouts.</param>
    /// <param name="deflate">The negotiated permessage-deflate parameters; null when none was negotiated.</param>
    /// <param name="deflateOptions">How to compress when <paramref name="deflate"/> is set.</param>
    /// <param name="endpointMessageLimit">
    /// The largest <see cref="OnMessageAttribute.MaxMessageSize"/> of the endpoint; zero when it sets none.
    /// A client's frame limit is raised to its largest whole-message limit (see <see cref="MaxFramePayloadSize"/>).
    /// </param>
    internal WebSocketEngineOptions ToEngineOptions(
        WebSocketRole role,
        bool writesReachPeer,
        TimeProvider clock,
        PerMessageDeflateParameters? deflate = null,
        PerMessageDeflateOptions? deflateOptions = null,
        long endpointMessageLimit = 0)
    {
        var messageLimit = (int)Math.Min(int.MaxValue, Math.Max(Math.Max(_maxTextMessageBufferSize, _maxBinaryMessageBufferSize), endpointMessageLimit));
        var frameLimit = role == WebSocketRole.Client ? Math.Max(_maxFramePayloadSize, messageLimit) : _maxFramePayloadSize;
        return new WebSocketEngineOptions
        {
            Role = role,
            MaxFramePayloadSize = frameLimit,
            MaxMessageSize = messageLimit,
            MessageReceiveTimeout = _messageReceiveTimeout,
            DeliverPings = true,
            CloseTimeout = _closeTimeout,
            MaxQueuedSendBytes = _maxQueuedSendBytes,
            Deflate = deflate,
            DeflateOptions = deflate is null ? null : deflateOptions,
            WritesReachPeer = writesReachPeer,
            TimeProvider = clock,
        };
    }
}
