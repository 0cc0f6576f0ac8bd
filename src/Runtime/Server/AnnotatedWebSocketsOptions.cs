using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Limits and timeouts of the WebSocket server, set through
/// <c>services.AddAnnotatedWebSockets(options =&gt; …)</c>. Every limit has a finite default. What each session
/// starts with is in <see cref="Sessions"/>; the members here are the server's own (connections, handshake,
/// origins, compression, shutdown).
/// </summary>
public sealed class AnnotatedWebSocketsOptions
{
    private TimeSpan _shutdownDrainTimeout = TimeSpan.FromSeconds(10);
    private int _maxHandshakeHeaderBytes = 16 * 1024;
    private TimeSpan? _handshakeTimeout;
    private readonly Dictionary<string, MessageRateLimitPolicy> _messageRateLimitPolicies = new(StringComparer.Ordinal);

    /// <summary>
    /// The limits and timeouts every session of every endpoint starts with (message and frame sizes, idle and
    /// close timeouts, the send queue); the same type configures the client's <c>WebSocketContainer.SessionOptions</c>.
    /// </summary>
    public WebSocketSessionOptions Sessions { get; } = new();

    /// <summary>
    /// The limits and slow-member policy of <see cref="WebSocketGroups"/> (groups per session, group name length, what a
    /// broadcast does for a member whose send queue is full).
    /// </summary>
    public WebSocketGroupOptions Groups { get; } = new();

    /// <summary>Which spans the server makes (metrics need no setting: they cost nothing until someone listens).</summary>
    public Diagnostics.WebSocketTelemetryOptions Telemetry { get; } = new();

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
    /// Whether a session is closed when the authentication of its handshake expires (Jakarta WebSocket WSC-7.2-3, and
    /// SignalR's <c>CloseOnAuthenticationExpiration</c>): the expiry is the <c>ExpiresUtc</c> of the authentication
    /// ticket ASP.NET Core's authentication gave the handshake request (<c>IAuthenticateResultFeature</c>), and the
    /// session is closed with 1008 (policy violation) and the reason "Authentication expired." on the wire and in the
    /// endpoint's close handler, within the heartbeat's period (at most a second) after it. A handshake without an
    /// expiry (anonymous, or a scheme that sets none) is not affected. Default: false, as in SignalR, since a cookie's
    /// sliding expiration is renewed by HTTP requests a WebSocket never makes.
    /// </summary>
    public bool CloseOnAuthenticationExpiration { get; set; }

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

    /// <summary>
    /// The named message rate-limit policies, which endpoints attach with
    /// <see cref="ServerEndpointAttribute.RateLimitPolicy"/> and <see cref="OnMessageAttribute.RateLimitPolicy"/>
    /// (names compared ordinally); add them with <see cref="AddMessageRateLimitPolicy"/>. An endpoint that names a
    /// policy not in here fails deployment (<c>MapAnnotatedWebSockets</c> throws a <see cref="DeploymentException"/>).
    /// </summary>
    public IReadOnlyDictionary<string, MessageRateLimitPolicy> MessageRateLimitPolicies => _messageRateLimitPolicies;

    /// <summary>
    /// Adds (or replaces) the message rate-limit policy <paramref name="name"/>: each session of an endpoint that names it
    /// gets its own token buckets, configured by <paramref name="configure"/>.
    /// </summary>
    /// <example>
    /// <code>
    /// options.AddMessageRateLimitPolicy("chat", policy =&gt; policy.AddLimit(20, TimeSpan.FromSeconds(1)));
    /// </code>
    /// </example>
    /// <param name="name">The policy's name, as the attributes give it; not empty or white space.</param>
    /// <param name="configure">Adds the policy's buckets (at least one) and sets its action.</param>
    /// <returns>These options.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A bucket's limit, refill or period is zero or negative.</exception>
    public AnnotatedWebSocketsOptions AddMessageRateLimitPolicy(string name, Action<MessageRateLimitPolicy> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var policy = new MessageRateLimitPolicy();
        configure(policy);
        _messageRateLimitPolicies[name] = policy;
        return this;
    }
}
