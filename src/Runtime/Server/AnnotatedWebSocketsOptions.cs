using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Limits and timeouts of the WebSocket server, set through
/// <c>services.AddAnnotatedWebSockets(options =&gt; …)</c>. Every limit has a finite default.
/// </summary>
public sealed class AnnotatedWebSocketsOptions
{
    private const int OneMebibyte = 1024 * 1024;

    private int _maxTextMessageBufferSize = OneMebibyte;
    private int _maxBinaryMessageBufferSize = OneMebibyte;
    private int _maxFramePayloadSize = OneMebibyte;
    private long _maxQueuedSendBytes = OneMebibyte;
    private int _maxQueuedSendMessages = 1024;
    private TimeSpan _sendQueueTimeout = TimeSpan.FromSeconds(30);
    private CloseCode _sendQueueTimeoutCloseCode = CloseCode.ViolatedPolicy;
    private TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);
    private TimeSpan _messageReceiveTimeout = TimeSpan.FromMinutes(5);
    private TimeSpan _shutdownDrainTimeout = TimeSpan.FromSeconds(10);
    private int _maxHandshakeHeaderBytes = 16 * 1024;
    private TimeSpan? _handshakeTimeout;

    /// <summary>
    /// The largest whole text message, in UTF-8 bytes, a session buffers when the handler sets no
    /// <see cref="OnMessageAttribute.MaxMessageSize"/>. A larger message closes the session with 1009.
    /// Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxTextMessageBufferSize
    {
        get => _maxTextMessageBufferSize;
        set => _maxTextMessageBufferSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// The largest whole binary message, in bytes, a session buffers when the handler sets no
    /// <see cref="OnMessageAttribute.MaxMessageSize"/>. A larger message closes the session with 1009.
    /// Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxBinaryMessageBufferSize
    {
        get => _maxBinaryMessageBufferSize;
        set => _maxBinaryMessageBufferSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// The largest payload of a single incoming frame, in bytes; a larger frame closes the session with 1009.
    /// This also bounds each part delivered to partial handlers. Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxFramePayloadSize
    {
        get => _maxFramePayloadSize;
        set => _maxFramePayloadSize = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How many bytes of accepted messages may wait to be written to one session (the message being written
    /// counts); further senders wait for room, so a slow peer cannot make the server buffer without bound.
    /// A single larger message is accepted when nothing else is queued (it is written in pieces of this size).
    /// Default: 1 MiB.
    /// </summary>
    /// <remarks>A sender waiting for room holds no buffer of the server: its message is encoded once it is accepted.
    /// See <see cref="SendQueueTimeout"/> for what happens when the peer stops reading.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxQueuedSendBytes
    {
        get => _maxQueuedSendBytes;
        set => _maxQueuedSendBytes = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How many accepted messages may wait to be written to one session (the message being written counts;
    /// pings and pongs the application sends count too); further senders wait for room. Default: 1024.
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
    /// <exception cref="ArgumentOutOfRangeException">The value is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan SendQueueTimeout
    {
        get => _sendQueueTimeout;
        set => _sendQueueTimeout = SettingGuard.PositiveOrInfinite(value, "send queue timeout");
    }

    /// <summary>
    /// The close code of a session closed by <see cref="SendQueueTimeout"/>, on the wire and in the endpoint's
    /// close handler: <see cref="CloseCode.ViolatedPolicy"/> (1008, the default: the peer broke the server's rule
    /// that it must read what it is sent) or <see cref="CloseCode.UnexpectedCondition"/> (1011).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is another code.</exception>
    public CloseCode SendQueueTimeoutCloseCode
    {
        get => _sendQueueTimeoutCloseCode;
        set => _sendQueueTimeoutCloseCode = SettingGuard.SendQueueTimeoutCloseCode(value);
    }

    /// <summary>
    /// How long a session may go without any message or control frame sent or received before the server
    /// closes it. Zero or a negative value disables the timeout. Default: 5 minutes.
    /// </summary>
    /// <remarks>
    /// An idle session is closed with <see cref="CloseCode.GoingAway"/> (1001) on the wire, while the
    /// endpoint's own close handler sees <see cref="CloseCode.ClosedAbnormally"/> (1006), as the Jakarta
    /// specification (§2.1.5) asks for a locally initiated close, so the endpoint can tell it from a close
    /// the peer asked for.
    /// </remarks>
    public TimeSpan MaxSessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an incoming message may take from its first frame to its last; a peer still sending it after that
    /// (trickling it, or keeping it open with pings, which count as activity for <see cref="MaxSessionIdleTimeout"/>)
    /// is closed with 1008 (policy violation) when its next bytes arrive. <see cref="Timeout.InfiniteTimeSpan"/>: no
    /// limit. Default: 5 minutes; raise it for endpoints that stream very large messages over slow links.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public TimeSpan MessageReceiveTimeout
    {
        get => _messageReceiveTimeout;
        set => _messageReceiveTimeout = SettingGuard.PositiveOrInfinite(value, "message receive timeout");
    }

    /// <summary>
    /// How long the server waits for the peer's close frame after sending its own before it drops the
    /// connection. Default: 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan CloseTimeout
    {
        get => _closeTimeout;
        set => _closeTimeout = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The close timeout must be positive.");
    }

    /// <summary>
    /// When positive, the server sends an empty ping on every session at this interval to keep
    /// intermediaries from dropping quiet connections. Zero or negative (the default) sends none.
    /// </summary>
    public TimeSpan KeepAlivePingInterval { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The default <see cref="IAsyncRemoteEndpoint.SendTimeout"/> of every session: an asynchronous send that takes
    /// longer fails with a <see cref="TimeoutException"/>. Zero or negative (the default) means no limit.
    /// </summary>
    public TimeSpan AsyncSendTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// The most WebSocket connections the application keeps open at once, over all endpoints; a further
    /// upgrade request is answered 503 (Service Unavailable) before any upgrade. Zero or negative means no
    /// limit. Default: 10,000.
    /// </summary>
    public int MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>
    /// The most connections one endpoint keeps open at once; a further upgrade request to it is answered 503.
    /// Zero or negative (the default) means only <see cref="MaxConcurrentConnections"/> applies.
    /// </summary>
    public int MaxConcurrentConnectionsPerEndpoint { get; set; }

    /// <summary>The permessage-deflate (RFC 7692) settings; compression is off by default.</summary>
    public PerMessageDeflateSettings PerMessageDeflate { get; } = new();

    /// <summary>
    /// Per-endpoint permessage-deflate settings keyed by the endpoint's path exactly as declared (for example
    /// <c>"/chat/{room}"</c>); an entry replaces <see cref="PerMessageDeflate"/> for that endpoint, for instance to
    /// disable compression of an endpoint that sends already-compressed data. A programmatic
    /// <see cref="ServerEndpointConfig.PerMessageDeflate"/> takes precedence over both.
    /// </summary>
    public IDictionary<string, PerMessageDeflateSettings> EndpointPerMessageDeflate { get; } =
        new Dictionary<string, PerMessageDeflateSettings>(StringComparer.Ordinal);

    /// <summary>
    /// The browser origins (<c>scheme://host[:port]</c>, compared case-insensitively) allowed to open a
    /// WebSocket to any endpoint; a handshake whose <c>Origin</c> is not listed gets HTTP 403. Requests without
    /// an <c>Origin</c> header (non-browser clients) are not affected. When the list is empty (the default), any
    /// origin may connect to an endpoint that does not require authorization, while an endpoint that does
    /// (<c>RequireAuthorization()</c> or <c>[Authorize]</c> metadata) accepts only same-origin browser
    /// handshakes: a cross-site page could otherwise use the visitor's cookies to open an authenticated
    /// WebSocket (cross-site WebSocket hijacking).
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();

    /// <summary>
    /// Per-endpoint origin allow-lists keyed by the endpoint's path exactly as declared; an entry replaces
    /// <see cref="AllowedOrigins"/> for that endpoint.
    /// </summary>
    public IDictionary<string, IList<string>> EndpointAllowedOrigins { get; } =
        new Dictionary<string, IList<string>>(StringComparer.Ordinal);

    /// <summary>
    /// How long, when the host stops, the sessions get to finish after each was sent a 1001 (going away) close:
    /// a handler already running (an <c>[OnMessage]</c> in progress) may complete and the peer may answer the close.
    /// Sessions still running after it are aborted (the connection is dropped) and their close handler runs
    /// anyway, exactly once, even when one of their handlers never returns. Sessions that open during the stop are
    /// closed at once. Zero aborts right after the closes are sent. Default: 10 seconds.
    /// </summary>
    /// <remarks>
    /// The drain happens before the web server stops (in <c>IHostedLifecycleService.StoppingAsync</c>), so it
    /// counts against the host's shutdown timeout (<c>HostOptions.ShutdownTimeout</c>, 30 seconds by default).
    /// The drain ends at whichever comes first of this time and that timeout less 2 seconds, the time aborting
    /// and running the close handlers of the sessions left may take; <c>StopAsync</c> therefore returns within the
    /// host's shutdown timeout. To let handlers run longer, raise both.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or infinite.</exception>
    public TimeSpan ShutdownDrainTimeout
    {
        get => _shutdownDrainTimeout;
        set => _shutdownDrainTimeout = value >= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The drain timeout must be zero or positive and finite.");
    }

    /// <summary>
    /// The largest header set an opening handshake may carry, counted as the UTF-8 bytes of every header name and
    /// value (the request line and separators not included). A larger handshake to a WebSocket endpoint is
    /// answered 431 (Request Header Fields Too Large) before any upgrade. Default: 16 KiB.
    /// </summary>
    /// <remarks>
    /// The HTTP server parses the headers before the request reaches the endpoint, so it bounds the raw size
    /// first (for Kestrel <c>KestrelServerLimits.MaxRequestHeadersTotalSize</c>, 32 KiB by default, and
    /// <c>MaxRequestHeaderCount</c>, 100): this limit is the tighter one WebSocket endpoints apply on top, as
    /// a handshake's headers are kept for the whole session (<see cref="HandshakeRequest.Headers"/>).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxHandshakeHeaderBytes
    {
        get => _maxHandshakeHeaderBytes;
        set => _maxHandshakeHeaderBytes = SettingGuard.Positive(value);
    }

    /// <summary>
    /// How long a client may take to send the request line and headers of its opening handshake before the
    /// connection is cut; null (the default) keeps the HTTP server's own limit, for Kestrel
    /// <c>KestrelServerLimits.RequestHeadersTimeout</c>, 30 seconds by default.
    /// </summary>
    /// <remarks>
    /// Until its headers have arrived, a handshake cannot be told from any other HTTP request (<c>Upgrade</c> is
    /// one of those headers), so this time can only be enforced by the server while it reads the headers, for
    /// every request: when set, it becomes Kestrel's <c>RequestHeadersTimeout</c>, unless that was configured
    /// to a value other than Kestrel's default, which then wins. Kestrel checks it about once a second and answers
    /// a late request with 408 before it closes the connection. Other servers (HTTP.sys, IIS) have their own
    /// setting, which this does not change.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive or is infinite.</exception>
    public TimeSpan? HandshakeTimeout
    {
        get => _handshakeTimeout;
        set => _handshakeTimeout = value is not { } timeout || (timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The handshake timeout must be positive and finite.");
    }
}
