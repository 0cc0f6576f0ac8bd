using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Claims;
using System.Text;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// The session of one connection: it owns the receive loop that feeds the protocol engine's events to the
/// generated dispatcher one at a time (OnOpen, then messages, then OnClose exactly once), routes every
/// exception from user code to OnError, and implements the basic remote over the engine.
/// </summary>
/// <remarks>
/// Close codes reported to the local close handler: the peer's code when the peer closed first; the
/// reason given to <see cref="CloseAsync(CloseReason)"/> when the application closed; 1006 when the idle
/// timeout closed the session (1001 goes on the wire) or the transport died; 1009/1002/1007 when the engine
/// failed the connection (OnError sees a <see cref="SessionException"/> first, a
/// <see cref="MessageTooBigException"/> for 1009); 1003 when a data message of a kind the endpoint has no
/// handler for arrived; 1001 when the server shut down; the configured send-queue timeout code (1008 or 1011,
/// also on the wire when the transport still takes it) when the peer stopped reading what was sent.
/// <para>
/// Exceptions from user code (thrown or as a faulted task) go to OnError unwrapped and the session stays
/// open, as Jakarta WebSocket §5.2.2 requires. That includes a <see cref="DecodeException"/> from a path
/// parameter that does not convert (the generated dispatcher converts them per call): the specification
/// leaves what follows open (WSC-4.3-6), and we keep the session open so the endpoint decides; its error
/// handler receives the session and may close it, for example with 1003.
/// </para>
/// </remarks>
internal sealed partial class EngineWebSocketSession : WebSocketSession, IBasicRemoteEndpoint, IHeartbeatHandler
{
    // Set on the receive loop's execution context: CloseAsync called from a handler (or from work the handler
    // started) must not wait for the loop that is waiting for the handler.
    private static readonly AsyncLocal<EngineWebSocketSession?> s_receiveLoop = new();

    private DeferredFlushes? _deferredFlushes;   // the receive loop's, made at its first message

    private readonly SessionContext _context;
    private readonly WebSocketEngine _engine;
    private readonly EndpointDispatcher _dispatcher;
    private readonly AnnotatedEndpointDefinition _definition;
    private readonly EndpointConfig _config;
    private readonly SessionConnectionInfo _info;
    private readonly ISessionGroup _group;
    // The one lock of the session (message handler slots, batching): a lock object per concern would cost every
    // idle connection an object each, and none of them is held long or around user code.
    private readonly object _lock = new();
    // Both made on first use: most sessions never read their id or properties, and an idle connection should
    // hold as little as possible.
    private ConcurrentDictionary<string, object?>? _userProperties;
    private string? _id;
    private SessionTelemetry? _telemetry;
    private string? _closeCause;   // why this side closed, for the metrics' error.type (idle_timeout, send_queue_timeout, …)
    // Completed when the receive loop has ended. Made on first use, since only a close that waits for the closing
    // handshake asks; s_loopEnded when the loop ended before anyone asked.
    private static readonly TaskCompletionSource s_loopEnded = CreateCompletedSource();
    private TaskCompletionSource? _loopDone;
    // 1 once the close handler was called, by the receive loop or by AbandonAsync: it runs exactly once.
    private int _closeDispatched;
    private IReadOnlyDictionary<string, IReadOnlyList<string>>? _requestParameters;
    private CloseReason? _localCloseReason;
    private volatile bool _closeReceived;
    // Timestamps of the context's clock, checked by its heartbeat (no timer per session).
    private long _lastActivity;
    private long _lastPingAt;
    private int _heartbeatSlot = -1;
    private TimeSpan _idleTimeout;
    private volatile int _maxTextMessageBufferSize;
    private volatile int _maxBinaryMessageBufferSize;

    public EngineWebSocketSession(
        SessionContext context,
        WebSocketEngine engine,
        EndpointDispatcher dispatcher,
        AnnotatedEndpointDefinition definition,
        EndpointConfig config,
        SessionConnectionInfo info)
    {
        _context = context;
        _engine = engine;
        _dispatcher = dispatcher;
        _definition = definition;
        _config = config;
        _info = info;
        var settings = context.Settings;
        _idleTimeout = settings.IdleTimeout;
        _maxTextMessageBufferSize = ClampToInt(settings.MaxTextMessageBufferSize);
        _maxBinaryMessageBufferSize = ClampToInt(settings.MaxBinaryMessageBufferSize);
        // The copy is taken now (later changes to the config's map do not show); an empty one is made on first use.
        if (config.MayHaveUserProperties)
        {
            _userProperties = new ConcurrentDictionary<string, object?>(config.UserProperties, StringComparer.Ordinal);
        }

        _group = context.Host.GroupOf(this);
        _rateLimits = CreateRateLimits(context, definition);
    }

    /// <summary>The configuration the session's endpoint was deployed (or connected) with.</summary>
    public EndpointConfig Config => _config;

    /// <summary>The endpoint's definition, as the generator (or a programmatic endpoint) described it.</summary>
    public AnnotatedEndpointDefinition Definition => _definition;

    /// <inheritdoc />
    public override string Id => _id ?? CreateId();

    /// <inheritdoc />
    public override bool IsOpen => _localCloseReason is null && !_closeReceived && _engine.State == WebSocketEngineState.Open;

    /// <inheritdoc />
    public override bool IsSecure => _info.IsSecure;

    /// <inheritdoc />
    public override Uri RequestUri => _info.RequestUri;

    /// <inheritdoc />
    public override string? QueryString => _info.QueryString;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> PathParameters => _info.PathParameters;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, IReadOnlyList<string>> RequestParameters =>
        _requestParameters ??= _info.BuildRequestParameters();

    /// <inheritdoc />
    // Handlers run one at a time, but other sessions' handlers may read it (e.g. a broadcast), hence concurrent.
    public override IDictionary<string, object?> UserProperties => _userProperties ?? CreateUserProperties();

    /// <inheritdoc />
    public override IReadOnlyCollection<WebSocketSession> OpenSessions => _group.Snapshot();

    /// <inheritdoc />
    public override string NegotiatedSubprotocol => _info.NegotiatedSubprotocol;

    /// <inheritdoc />
    public override ClaimsPrincipal? User => _info.User;

    /// <inheritdoc />
    public override IBasicRemoteEndpoint BasicRemote => this;

    /// <inheritdoc />
    public override IAsyncRemoteEndpoint AsyncRemote => _asyncRemote ?? CreateAsyncRemote();

    /// <inheritdoc />
    public override IReadOnlyList<Extension> NegotiatedExtensions => _info.NegotiatedExtensions;

    /// <inheritdoc />
    public override IWebSocketContainer Container => _context.Container ?? base.Container;

    /// <summary>The dispatcher's endpoint instance.</summary>
    public object Endpoint => _dispatcher.Endpoint;

    /// <inheritdoc />
    public override Task CloseAsync(CloseReason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return CloseCoreAsync(reason, reason, waitForHandshake: s_receiveLoop.Value != this);
    }

    /// <summary>Closes the session because the server is shutting down: 1001 on the wire and locally.</summary>
    public Task CloseForShutdownAsync()
    {
        _closeCause ??= "app_shutdown";
        var reason = new CloseReason(CloseCode.GoingAway, "The server is shutting down.");
        return CloseCoreAsync(reason, reason, waitForHandshake: false);
    }

    /// <summary>
    /// Runs the session until it closes: OnOpen, the messages, then OnClose exactly once; then tells the owner (the
    /// server connection) that it is over. Never throws for anything the peer or the endpoint does.
    /// </summary>
    /// <remarks>
    /// The receive loop is part of this method, not a method of its own: while the connection is idle this is the
    /// one state machine of ours that waits (docs/PERFORMANCE.md, idle memory).
    /// </remarks>
    public async Task RunAsync()
    {
        try
        {
            s_receiveLoop.Value = this;
            Touch();
            _group.Add(this);
            _context.Host.SessionOpened(this);
            StartTelemetry();
            StartHeartbeat();
            if (_context.Logger.IsEnabled(LogLevel.Debug))
            {
                // Checked here so that the id is not made just to be dropped by a disabled logger.
                Log.SessionOpened(_context.Logger, Id, _info.RequestUri);
            }

            CloseReason reason;
            SessionException? sessionError = null;
            try
            {
                await InitializeCodersAsync().ConfigureAwait(false);
                await InvokeAsync(EndpointCall.Open, static (session, config) => session._dispatcher.OnOpenAsync(session, config), _config).ConfigureAwait(false);

                WebSocketEvent received;
                while (true)
                {
                    // An idle connection waits here, in a small state machine, not inside the receive (docs/PERFORMANCE.md).
                    // Whatever has to wait for the peer lets the flushes that handlers deferred go first.
                    var waiting = _engine.WaitForInputAsync();
                    if (!waiting.IsCompleted)
                    {
                        FlushDeferred();
                    }

                    await waiting.ConfigureAwait(false);
                    var receiving = _engine.ReceiveAsync(CurrentPolicy(), CancellationToken.None);
                    if (!receiving.IsCompleted)
                    {
                        FlushDeferred();
                    }

                    received = await receiving.ConfigureAwait(false);
                    if (!_engine.IsInsideFrame)
                    {
                        // Activity is a complete frame (DECISIONS.md §20): a part of a frame that a slow peer trickles in
                        // (slowloris) reaches a partial or streamed handler but does not hold the idle timeout off.
                        Touch();
                    }

                    if (received.Kind == WebSocketEventKind.Close)
                    {
                        await AbandonStreamsAsync().ConfigureAwait(false);
                        break;
                    }

                    await DeliverDeferringFlushesAsync(received).ConfigureAwait(false);
                }

                reason = LocalCloseReason(received);
                if (received.Error is WebSocketProtocolException protocolError)
                {
                    sessionError = protocolError.CloseCode == CloseStatusCodes.MessageTooBig
                        ? new MessageTooBigException(protocolError.Message, protocolError, this)
                        : new SessionException(protocolError.Message, protocolError, this);
                }
                else if (received.Error is { } transportError)
                {
                    Log.TransportFailed(_context.Logger, Id, transportError);
                }
            }
            catch (Exception ex)
            {
                // Only a defect of the runtime gets here; the connection is dropped and the endpoint still closes.
                Log.ReceiveLoopFailed(_context.Logger, Id, ex);
                _engine.Abort();
                reason = new CloseReason(CloseCode.ClosedAbnormally, "The session failed.");
            }

            FlushDeferred();
            _closeReceived = true;
            StopHeartbeat();
            _group.Remove(this);
            _context.Host.SessionClosing(this);
            EndLoop();

            if (sessionError is not null)
            {
                await HandleErrorAsync(sessionError).ConfigureAwait(false);
            }

            await DispatchCloseOnceAsync(reason).ConfigureAwait(false);
            _telemetry?.Closed((int)reason.Code, Volatile.Read(ref _localCloseReason) is not null, _closeCause);
            await DestroyCodersAsync().ConfigureAwait(false);
            Log.SessionClosed(_context.Logger, Id, (int)reason.Code, reason.ReasonPhrase);
        }
        finally
        {
            await _context.Host.SessionEndedAsync(this).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Drops the connection without waiting for the closing handshake (a shutdown's drain time is over). The
    /// receive loop then ends as soon as no handler holds it, and runs the close handler.
    /// </summary>
    public void AbortForShutdown()
    {
        _closeCause = "drain_timeout";
        Interlocked.CompareExchange(ref _localCloseReason, new CloseReason(CloseCode.GoingAway, "The server is shutting down."), null);
        CancelRateLimitDelay();
        _engine.Abort();
    }

    /// <summary>
    /// Runs the close handler now for a receive loop that a handler still holds after <see cref="AbortForShutdown"/>,
    /// so that a handler that never returns cannot keep the server from stopping; the handler keeps running, and
    /// the close handler still runs exactly once. Does nothing when the loop has ended (it calls the handler itself).
    /// Either way the owner is then told that the session is over, so that the connection is let go.
    /// </summary>
    public async Task AbandonAsync()
    {
        try
        {
            if (Volatile.Read(ref _loopDone) is { Task.IsCompleted: true })
            {
                return;
            }

            _closeReceived = true;
            StopHeartbeat();
            _group.Remove(this);
            _context.Host.SessionClosing(this);
            var reason = Volatile.Read(ref _localCloseReason) ?? new CloseReason(CloseCode.ClosedAbnormally, "The session was abandoned.");
            await DispatchCloseOnceAsync(reason).ConfigureAwait(false);
            _telemetry?.Closed((int)reason.Code, closedHere: true, _closeCause ?? "drain_timeout");
        }
        finally
        {
            // Not awaited: the shutdown waits for close handlers, not for the connection's teardown.
            _ = _context.Host.SessionEndedAsync(this);
        }
    }

    private async ValueTask DispatchCloseOnceAsync(CloseReason reason)
    {
        if (Interlocked.Exchange(ref _closeDispatched, 1) != 0)
        {
            return;
        }

        await InvokeAsync(EndpointCall.Close, static (session, r) => session._dispatcher.OnCloseAsync(session, r), reason).ConfigureAwait(false);
    }

    // DeliverAsync with this loop's DeferredFlushes current while the handler runs synchronously: the broadcasts it
    // makes leave their flushes to the loop. A handler that waits has them flushed first (it may wait for an answer
    // to what it sent), and none waits longer than DeferredFlushes.MaxDeferral.
    private ValueTask DeliverDeferringFlushesAsync(WebSocketEvent received)
    {
        _deferredFlushes ??= new DeferredFlushes(_context.Clock);
        ValueTask delivering;
        using (_deferredFlushes.Enter())
        {
            delivering = DeliverAsync(received);
        }

        if (!delivering.IsCompleted || _deferredFlushes.IsDue)
        {
            FlushDeferred();
        }

        return delivering;
    }

    private void FlushDeferred() => _deferredFlushes?.Flush();

    // One event of the receive loop other than the close.
    private ValueTask DeliverAsync(WebSocketEvent received) => received.Kind switch
    {
        WebSocketEventKind.Text => OnTextAsync(received),
        WebSocketEventKind.Binary => OnBinaryAsync(received),
        WebSocketEventKind.Ping => AnswerPingAsync(received.Payload),
        WebSocketEventKind.Pong => OnPongReceivedAsync(received.Payload),
        _ => default,
    };

    private ValueTask OnPongReceivedAsync(ReadOnlyMemory<byte> payload)
    {
        _telemetry?.PongReceived();
        return OnPongAsync(new PongMessage(payload.ToArray()));
    }

    private async ValueTask AnswerPingAsync(ReadOnlyMemory<byte> payload)
    {
        try
        {
            await SendContainerControlAsync(ping: false, payload).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // The connection is closing; the receive loop will see the close.
        }
    }

    private Task CloseUnhandledAsync(string kind) =>
        CloseCoreAsync(
            new CloseReason(CloseCode.CannotAccept, $"This endpoint does not accept {kind} messages."),
            new CloseReason(CloseCode.CannotAccept, $"This endpoint does not accept {kind} messages."),
            waitForHandshake: false);

    private async Task CloseCoreAsync(CloseReason wire, CloseReason local, bool waitForHandshake)
    {
        if (!_closeReceived && Interlocked.CompareExchange(ref _localCloseReason, local, null) is null)
        {
            CancelRateLimitDelay();
            // 1005, 1006 and 1015 cannot be sent; the peer then sees a normal closure.
            var code = (ushort)wire.Code;
            if (!CloseStatusCodes.IsValidOnWire(code))
            {
                code = CloseStatusCodes.NormalClosure;
            }

            // A transport that takes nothing (a send stuck on it holds the engine's send lock) cannot take the close
            // frame either: after the close timeout the connection is dropped, so that a close always ends the session.
            using var timeout = new CancellationTokenSource(_context.Settings.CloseTimeout, _context.Clock);
            try
            {
                await _engine.CloseOutputAsync(code, wire.ReasonPhrase, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                _engine.Abort();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
            {
                // The connection ended meanwhile; the receive loop reports it.
            }
        }

        if (waitForHandshake)
        {
            // The engine gives up on the peer after its close timeout; the margin only guards against a stuck loop.
            try
            {
                await LoopDone.WaitAsync(_context.Settings.CloseTimeout * 2, _context.Clock).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The loop is busy in a long handler; the close frame is out, which is what the caller asked for.
            }
        }
    }

    private CloseReason LocalCloseReason(WebSocketEvent closeEvent)
    {
        if (Volatile.Read(ref _localCloseReason) is { } local)
        {
            return local;
        }

        try
        {
            return new CloseReason((CloseCode)closeEvent.CloseCode, closeEvent.CloseReason);
        }
        catch (ArgumentException)
        {
            // The engine validated the peer's frame, so this is unexpected; report an abnormal closure.
            return new CloseReason(CloseCode.ClosedAbnormally);
        }
    }

    // One instance per session: it holds the session's send timeout.
    private AsyncRemoteEndpoint CreateAsyncRemote()
    {
        var created = new AsyncRemoteEndpoint(this, _context.Settings.SendTimeout, _context.Clock);
        return Interlocked.CompareExchange(ref _asyncRemote, created, null) ?? created;
    }

    private string CreateId()
    {
        var created = _context.Host.CreateSessionId();
        return Interlocked.CompareExchange(ref _id, created, null) ?? created;
    }

    private ConcurrentDictionary<string, object?> CreateUserProperties()
    {
        var created = new ConcurrentDictionary<string, object?>(StringComparer.Ordinal);
        return Interlocked.CompareExchange(ref _userProperties, created, null) ?? created;
    }

    private Task LoopDone => (Volatile.Read(ref _loopDone) ?? CreateLoopDone()).Task;

    private TaskCompletionSource CreateLoopDone()
    {
        var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Interlocked.CompareExchange(ref _loopDone, created, null) ?? created;
    }

    // Completes the source a waiter made, or marks the loop ended for those who ask later.
    private void EndLoop() => Interlocked.CompareExchange(ref _loopDone, s_loopEnded, null)?.TrySetResult();

    private static TaskCompletionSource CreateCompletedSource()
    {
        var completed = new TaskCompletionSource();
        completed.SetResult();
        return completed;
    }

    private void Touch() => Volatile.Write(ref _lastActivity, _context.Clock.GetTimestamp());

    int IHeartbeatHandler.HeartbeatSlot
    {
        get => _heartbeatSlot;
        set => _heartbeatSlot = value;
    }

    /// <summary>The session's metrics and spans; null while nobody listens (the rate limits and rooms count through it).</summary>
    internal SessionTelemetry? Telemetry => _telemetry;

    // Decided once, at open: what nobody listens to now is not recorded for this session, so +1 and −1 always pair.
    private void StartTelemetry()
    {
        var instruments = _context.Instruments;
        var target = instruments is { IsServer: true }
            ? new TelemetryTarget(_config.DeployedPath, 0, _info.UpgradeContext)
            : new TelemetryTarget(_info.RequestUri.Host, _info.RequestUri.Port, _info.UpgradeContext);
        if (SessionTelemetry.Start(instruments, target, _context.Clock, _context.MessageSpans(target.Route)) is not { } telemetry)
        {
            return;
        }

        _telemetry = telemetry;
        if (telemetry.CountsTraffic)
        {
            _engine.Traffic = telemetry;
        }

        if (telemetry.CountsQueue)
        {
            SendQueue.Telemetry = telemetry;
        }
    }

    private void StartHeartbeat()
    {
        var settings = _context.Settings;
        _lastPingAt = _context.Clock.GetTimestamp();
        _context.Heartbeat.Register(this, Shortest(Shortest(_idleTimeout, settings.KeepAlivePingInterval), settings.SendQueueTimeout));
    }

    private void StopHeartbeat()
    {
        _context.Heartbeat.Unregister(this);
        _sendWatchdog?.Stop();
    }

    private static TimeSpan Shortest(TimeSpan a, TimeSpan b) =>
        a <= TimeSpan.Zero ? b : b <= TimeSpan.Zero ? a : (a < b ? a : b);

    /// <summary>
    /// The heartbeat's tick: the send watchdog, the idle timeout and the keep-alive ping, each measured from its
    /// timestamp. Runs on the heartbeat, never two at once; starts the closes and pings, does not await them.
    /// </summary>
    void IHeartbeatHandler.OnHeartbeat(long now)
    {
        _sendWatchdog?.Check(now);
        if (!IsOpen)
        {
            return;
        }

        var clock = _context.Clock;
        var idleTimeout = _idleTimeout;
        if (idleTimeout > TimeSpan.Zero && !_rateLimitDelaying && clock.GetElapsedTime(Volatile.Read(ref _lastActivity), now) >= idleTimeout)
        {
            Log.IdleTimeout(_context.Logger, Id, idleTimeout);
            _closeCause ??= "idle_timeout";
            _ = CloseCoreAsync(
                new CloseReason(CloseCode.GoingAway, "Idle timeout"),
                new CloseReason(CloseCode.ClosedAbnormally, $"The session was idle for longer than {idleTimeout}."),
                waitForHandshake: false);
            return;
        }

        // WSC-7.2-3: a session whose authentication has expired is closed at once with 1008, here and on the wire.
        if (_info.AuthenticationExpiresAt is { } expires && clock.GetUtcNow() >= expires)
        {
            Log.AuthenticationExpired(_context.Logger, Id, expires);
            _closeCause ??= "authentication_expired";
            var expired = new CloseReason(CloseCode.ViolatedPolicy, "Authentication expired.");
            _ = CloseCoreAsync(expired, expired, waitForHandshake: false);
            return;
        }

        var pingInterval = _context.Settings.KeepAlivePingInterval;
        if (pingInterval > TimeSpan.Zero && clock.GetElapsedTime(_lastPingAt, now) >= pingInterval)
        {
            _lastPingAt = now;
            _ = SendKeepAlivePingAsync();
        }
    }

    private async Task SendKeepAlivePingAsync()
    {
        try
        {
            // A keep-alive ping is not activity: only the peer's answer (a pong) keeps an idle session open.
            _telemetry?.PingSent();
            await SendContainerControlAsync(ping: true, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            // Closing; nothing to keep alive.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.SessionOpened, Level = LogLevel.Debug, Message = "WebSocket session {SessionId} opened for {RequestUri}.")]
        public static partial void SessionOpened(ILogger logger, string sessionId, Uri requestUri);

        [LoggerMessage(EventId = LogEvents.SessionClosed, Level = LogLevel.Debug, Message = "WebSocket session {SessionId} closed with {CloseCode} '{CloseReason}'.")]
        public static partial void SessionClosed(ILogger logger, string sessionId, int closeCode, string closeReason);

        [LoggerMessage(EventId = LogEvents.UnhandledEndpointError, Level = LogLevel.Error, Message = "An endpoint of WebSocket session {SessionId} threw and no [OnError] method accepts the exception.")]
        public static partial void UnhandledEndpointError(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = LogEvents.ErrorHandlerFailed, Level = LogLevel.Error, Message = "The [OnError] method of WebSocket session {SessionId} threw while handling {ErrorType}: {ErrorMessage}")]
        public static partial void ErrorHandlerFailed(ILogger logger, string sessionId, string errorType, string errorMessage, Exception exception);

        [LoggerMessage(EventId = LogEvents.TransportFailed, Level = LogLevel.Debug, Message = "WebSocket session {SessionId} lost its transport.")]
        public static partial void TransportFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = LogEvents.ReceiveLoopFailed, Level = LogLevel.Error, Message = "The receive loop of WebSocket session {SessionId} failed; the connection was dropped.")]
        public static partial void ReceiveLoopFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = LogEvents.DestroyCodersFailed, Level = LogLevel.Warning, Message = "Destroying the coders of WebSocket session {SessionId} failed.")]
        public static partial void DestroyCodersFailed(ILogger logger, string sessionId, Exception exception);

        [LoggerMessage(EventId = LogEvents.IdleTimeout, Level = LogLevel.Debug, Message = "WebSocket session {SessionId} was idle for {IdleTimeout} and is being closed.")]
        public static partial void IdleTimeout(ILogger logger, string sessionId, TimeSpan idleTimeout);

        [LoggerMessage(EventId = LogEvents.AuthenticationExpired, Level = LogLevel.Information, Message = "The authentication of WebSocket session {SessionId} expired at {ExpiresAt}; the session is being closed with 1008.")]
        public static partial void AuthenticationExpired(ILogger logger, string sessionId, DateTimeOffset expiresAt);
    }
}
