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
    private TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The largest whole text message, in UTF-8 bytes, a session buffers when the handler sets no
    /// <see cref="OnMessageAttribute.MaxMessageSize"/>. A larger message closes the session with 1009.
    /// Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxTextMessageBufferSize
    {
        get => _maxTextMessageBufferSize;
        set => _maxTextMessageBufferSize = Positive(value);
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
        set => _maxBinaryMessageBufferSize = Positive(value);
    }

    /// <summary>
    /// The largest payload of a single incoming frame, in bytes; a larger frame closes the session with 1009.
    /// This also bounds each part delivered to partial handlers. Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxFramePayloadSize
    {
        get => _maxFramePayloadSize;
        set => _maxFramePayloadSize = Positive(value);
    }

    /// <summary>
    /// How many bytes may wait to be written to one connection; senders wait while the queue is full, so a
    /// slow peer cannot make the server buffer without bound. Default: 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxQueuedSendBytes
    {
        get => _maxQueuedSendBytes;
        set => _maxQueuedSendBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");
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

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");
}
