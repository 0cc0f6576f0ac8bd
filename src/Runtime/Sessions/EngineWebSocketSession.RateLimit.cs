using System.Runtime.CompilerServices;
using Annotated.WebSockets.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Sessions;

// Message rate limits: before a data message (at its first frame) or a pong reaches the endpoint, it takes a token
// from the endpoint's policy (text and binary) and then from its handler's; a policy without a token delays the
// message (the loop reads nothing meanwhile: back-pressure without loss), rejects it (OnError gets a
// MessageRateLimitedException) or, past its rejection budget, closes the session with 1008.
internal sealed partial class EngineWebSocketSession
{
    // Made only for an endpoint that names a policy; null costs an idle session one field.
    private readonly SessionRateLimits? _rateLimits;
    // Cancelled when the session starts closing, so that a delayed message does not hold the loop; made on first delay.
    private CancellationTokenSource? _closing;
    // True while a message waits for a token: the peer is sending, so the idle timeout does not run meanwhile.
    private volatile bool _rateLimitDelaying;

    /// <summary>Whether a message of this session is waiting for a rate-limit token (the session reads nothing meanwhile).</summary>
    public bool IsWaitingForRateLimit => _rateLimitDelaying;

    private static SessionRateLimits? CreateRateLimits(SessionContext context, Dispatch.AnnotatedEndpointDefinition definition)
    {
        if (!definition.HasRateLimits || context.RateLimits == RateLimitTable.Empty)
        {
            return null;
        }

        var now = context.Clock.GetTimestamp();
        var limits = new SessionRateLimits(
            Limiter(definition.RateLimitPolicy),
            Limiter(definition.TextRateLimitPolicy),
            Limiter(definition.BinaryRateLimitPolicy),
            Limiter(definition.PongRateLimitPolicy));
        return limits.IsEmpty ? null : limits;

        // Deployment checked the names; a name the table lacks (an endpoint deployed past the checks) limits nothing.
        SessionRateLimiter? Limiter(string? name) =>
            name is not null && context.RateLimits.TryGet(name, out var rule) ? new SessionRateLimiter(rule, now) : null;
    }

    /// <summary>
    /// Whether a new message of <paramref name="call"/>'s kind may reach the endpoint: true at once when every policy has
    /// a token (or none applies); after a wait under the delay action; false when the message is dropped.
    /// </summary>
    private ValueTask<bool> AdmitAsync(EndpointCall call)
    {
        if (_rateLimits is not { } limits)
        {
            return new(true);
        }

        var endpoint = call == EndpointCall.Pong ? null : limits.Endpoint;
        var handler = call switch
        {
            EndpointCall.Text => limits.Text,
            EndpointCall.Binary => limits.Binary,
            _ => limits.Pong,
        };
        var now = _context.Clock.GetTimestamp();
        if (endpoint is not null && !endpoint.TryAcquire(now, out var wait))
        {
            return AdmitSlowAsync(endpoint, wait, handler);
        }

        if (handler is not null && !handler.TryAcquire(now, out wait))
        {
            return AdmitSlowAsync(handler, wait, next: null);
        }

        return new(true);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AdmitSlowAsync(SessionRateLimiter limiter, long wait, SessionRateLimiter? next)
    {
        if (!await ActAsync(limiter, wait).ConfigureAwait(false))
        {
            return false;
        }

        // The endpoint's token is taken; the handler's policy applies next.
        return next is null || next.TryAcquire(_context.Clock.GetTimestamp(), out wait) || await ActAsync(next, wait).ConfigureAwait(false);
    }

    // The limiter had no token: waits until it has one and takes it (true), or drops the message (false).
    private async ValueTask<bool> ActAsync(SessionRateLimiter limiter, long wait)
    {
        var rule = limiter.Rule;
        var clock = _context.Clock;
        if (rule.Action == MessageRateLimitAction.Delay)
        {
            Observe(rule.Name, MessageRateLimitAction.Delay);
            var closing = ClosingToken();
            _rateLimitDelaying = true;
            try
            {
                do
                {
                    try
                    {
                        // One timer, only while this session waits: an idle or well-behaved session holds none.
                        await Task.Delay(ToTimeSpan(clock, wait), clock, closing).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return false;   // closing: no new message reaches the endpoint
                    }

                    if (_localCloseReason is not null)
                    {
                        return false;
                    }
                }
                while (!limiter.TryAcquire(clock.GetTimestamp(), out wait));

                return true;
            }
            finally
            {
                // The idle time counts from the end of the wait, as if the message had arrived then.
                Touch();
                _rateLimitDelaying = false;
            }
        }

        if (rule.Action == MessageRateLimitAction.Close && !limiter.TryReject())
        {
            Observe(rule.Name, MessageRateLimitAction.Close);
            Log.RateLimitClose(_context.Logger, Id, rule.Name);
            var reason = new CloseReason(CloseCode.ViolatedPolicy, "Message rate limit exceeded.");
            await CloseCoreAsync(reason, reason, waitForHandshake: false).ConfigureAwait(false);
            return false;
        }

        Observe(rule.Name, MessageRateLimitAction.Reject);
        if (_context.Logger.IsEnabled(LogLevel.Debug))
        {
            Log.MessageRateLimited(_context.Logger, Id, rule.Name);
        }

        // To OnError when the endpoint takes it; otherwise only the Debug entry above: a flood must not flood the
        // log with unhandled-error entries (event 3, Error) as well.
        var error = new MessageRateLimitedException(rule.Name, ToTimeSpan(clock, wait), this);
        if (_dispatcher.HandlesError(error))
        {
            await HandleErrorAsync(error).ConfigureAwait(false);
        }

        return false;
    }

    private void Observe(string policy, MessageRateLimitAction outcome) =>
        _context.RateLimitObserver?.MessageRateLimited(this, _definition.Path, policy, outcome);

    private CancellationToken ClosingToken()
    {
        var closing = Volatile.Read(ref _closing);
        if (closing is null)
        {
            var created = new CancellationTokenSource();
            closing = Interlocked.CompareExchange(ref _closing, created, null) ?? created;
        }

        // A close that started before the source existed did not cancel it.
        if (Volatile.Read(ref _localCloseReason) is not null || _closeReceived)
        {
            closing.Cancel();
        }

        return closing.Token;
    }

    // Called once a close has started (ours, the server's shutdown): a message waiting for a token is dropped.
    private void CancelRateLimitDelay()
    {
        if (Volatile.Read(ref _closing) is { } closing)
        {
            try
            {
                closing.Cancel();
            }
            catch (AggregateException)
            {
                // No callback of ours throws; nothing else registers on the token.
            }
        }
    }

    // Rounded up, so that the wait ends at or after the refill.
    private static TimeSpan ToTimeSpan(TimeProvider clock, long timestamps) =>
        TimeSpan.FromTicks((long)Math.Ceiling(timestamps * (double)TimeSpan.TicksPerSecond / clock.TimestampFrequency));

    /// The limiters of one session: the endpoint's (text and binary messages) and each handler's.
    private sealed class SessionRateLimits(SessionRateLimiter? endpoint, SessionRateLimiter? text, SessionRateLimiter? binary, SessionRateLimiter? pong)
    {
        public SessionRateLimiter? Endpoint { get; } = endpoint;

        public SessionRateLimiter? Text { get; } = text;

        public SessionRateLimiter? Binary { get; } = binary;

        public SessionRateLimiter? Pong { get; } = pong;

        public bool IsEmpty => Endpoint is null && Text is null && Binary is null && Pong is null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = LogEvents.MessageRateLimited, Level = LogLevel.Debug, Message = "WebSocket session {SessionId} dropped a message over the rate-limit policy '{Policy}'.")]
        public static partial void MessageRateLimited(ILogger logger, string sessionId, string policy);

        [LoggerMessage(EventId = LogEvents.MessageRateLimitClose, Level = LogLevel.Information, Message = "WebSocket session {SessionId} exceeded the rate-limit policy '{Policy}' past its rejection budget and is being closed with 1008.")]
        public static partial void RateLimitClose(ILogger logger, string sessionId, string policy);
    }
}
