using System.Diagnostics;
using Annotated.WebSockets.Diagnostics;

namespace Annotated.WebSockets.Sessions;

/// <summary>
/// One session's metrics and spans, made when the session opens only if someone listens to any of the container's
/// instruments or spans; which instruments count for the session is decided then, so that a +1 always has its −1
/// with the same tags. Tags are the endpoint's route template (server) or the server's address and port (client),
/// never a raw path, session id or peer address.
/// </summary>
internal sealed class SessionTelemetry : WireTraffic
{
    private readonly WebSocketInstruments _instruments;
    private readonly KeyValuePair<string, object?> _endpoint;
    private readonly KeyValuePair<string, object?>? _port;
    private readonly TimeProvider _clock;
    private readonly string _route;
    private readonly bool _active;
    private readonly bool _spans;
    private readonly bool _messageSpans;
    private readonly long _started;
    private byte _receivingOpcode;
    private byte _sendingOpcode;
    private long _pingSentAt;
    private int _closed;
    private ActivityContext _openSpan;

    private SessionTelemetry(WebSocketInstruments instruments, TelemetryTarget target, TimeProvider clock, bool messageSpans)
    {
        _instruments = instruments;
        _clock = clock;
        _route = target.Route;
        _endpoint = instruments.IsServer ? new(TelemetryTags.Route, target.Route) : new(TelemetryTags.ServerAddress, target.Route);
        _port = instruments.IsServer ? null : new(TelemetryTags.ServerPort, target.Port);
        UpgradeContext = target.UpgradeContext;
        _active = instruments.ActiveConnections.Enabled;
        _spans = instruments.ActivitySource.HasListeners();
        _messageSpans = _spans && messageSpans;
        _started = clock.GetTimestamp();
        CountsTraffic = instruments.Messages.Enabled || instruments.Io.Enabled;
        CountsQueue = instruments.SendQueueSize.Enabled || instruments.SendQueueWaiting.Enabled;
    }

    /// <summary>The upgrade request's span, which every span of the session links to.</summary>
    public ActivityContext UpgradeContext { get; }

    /// <summary>Whether the engine should report frames (someone listens to the message or byte counts).</summary>
    public bool CountsTraffic { get; }

    /// <summary>Whether the send queue should report its bytes and waiting senders.</summary>
    public bool CountsQueue { get; }

    /// <summary>The session's telemetry, or null when nobody listens to anything (then nothing is recorded at all).</summary>
    public static SessionTelemetry? Start(WebSocketInstruments? instruments, TelemetryTarget target, TimeProvider clock, bool messageSpans)
    {
        if (instruments is null || !(instruments.ActiveConnections.Enabled || instruments.ConnectionDuration.Enabled || instruments.Messages.Enabled
            || instruments.Io.Enabled || instruments.HandlerDuration.Enabled || instruments.SendQueueSize.Enabled || instruments.SendQueueWaiting.Enabled
            || instruments.SendQueueTimeouts.Enabled || instruments.MessagesDropped.Enabled || instruments.PingDuration.Enabled
            || instruments.RateLimited.Enabled || instruments.ActivitySource.HasListeners()))
        {
            return null;
        }

        var telemetry = new SessionTelemetry(instruments, target, clock, messageSpans);
        if (telemetry._active)
        {
            instruments.ActiveConnections.Add(1, telemetry.Tags());
        }

        return telemetry;
    }

    /// <summary>The session ended: −1 active, and its duration with close code, who closed and why. Once.</summary>
    public void Closed(int code, bool closedHere, string? cause)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (_active)
        {
            _instruments.ActiveConnections.Add(-1, Tags());
        }

        if (_instruments.ConnectionDuration.Enabled)
        {
            var tags = Tags();
            tags.Add(TelemetryTags.CloseCode, TelemetryTags.Code(code));
            // A timeout or a drain closes from here whatever code the session ends with; 1006 otherwise means nobody closed.
            var local = _instruments.IsServer ? "server" : "client";
            var remote = _instruments.IsServer ? "client" : "server";
            tags.Add(TelemetryTags.CloseInitiator, cause is not null ? local : code == 1006 ? "none" : closedHere ? local : remote);
            if ((cause ?? TelemetryTags.CloseErrorType(code, closedHere)) is { } errorType)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }

            _instruments.ConnectionDuration.Record(_clock.GetElapsedTime(_started).TotalSeconds, tags);
        }
    }

    /// <inheritdoc />
    public override void FrameReceived(byte opcode, bool fin, long wireBytes) =>
        Count(TelemetryTags.Receive, opcode, fin, wireBytes, ref _receivingOpcode);

    /// <inheritdoc />
    public override void FrameSent(byte opcode, bool fin, long wireBytes) =>
        Count(TelemetryTags.Transmit, opcode, fin, wireBytes, ref _sendingOpcode);

    public void QueuedBytesChanged(long delta)
    {
        if (_instruments.SendQueueSize.Enabled)
        {
            _instruments.SendQueueSize.Add(delta, Tags());
        }
    }

    public void WaitingChanged(int delta)
    {
        if (delta != 0 && _instruments.SendQueueWaiting.Enabled)
        {
            _instruments.SendQueueWaiting.Add(delta, Tags());
        }
    }

    public void SendQueueTimedOut() => _instruments.SendQueueTimeouts.Add(1, Tags());

    public void MessageDropped(string reason)
    {
        var tags = Tags();
        tags.Add(TelemetryTags.DropReason, reason);
        _instruments.MessagesDropped.Add(1, tags);
    }

    /// <summary>A message went over a rate limit; <paramref name="action"/> is <c>delayed</c>, <c>rejected</c> or <c>closed</c>.</summary>
    public void RateLimited(string action)
    {
        var tags = Tags();
        tags.Add(TelemetryTags.RateLimitAction, action);
        _instruments.RateLimited.Add(1, tags);
    }

    public void PingSent() => Volatile.Write(ref _pingSentAt, _clock.GetTimestamp());

    public void PongReceived()
    {
        var sentAt = Interlocked.Exchange(ref _pingSentAt, 0);
        if (sentAt != 0 && _instruments.PingDuration.Enabled)
        {
            _instruments.PingDuration.Record(_clock.GetElapsedTime(sentAt).TotalSeconds, Tags());
        }
    }

    /// <summary>Whether a call of this kind is measured or traced.</summary>
    public bool Observes(EndpointCall call) => call switch
    {
        EndpointCall.Text or EndpointCall.Binary or EndpointCall.Pong => _instruments.HandlerDuration.Enabled || _messageSpans,
        EndpointCall.Open or EndpointCall.Error or EndpointCall.Close => _instruments.HandlerDuration.Enabled || _spans,
        _ => false,
    };

    /// <summary>Starts the span (a root, linked to the upgrade's span; <see cref="Activity.Current"/> while the handler runs) and the clock of one handler call.</summary>
    public HandlerCall StartCall(EndpointCall call, string sessionId)
    {
        Activity? activity = null;
        var spans = call is EndpointCall.Text or EndpointCall.Binary or EndpointCall.Pong ? _messageSpans : _spans;
        if (spans)
        {
            var (verb, operation) = call switch
            {
                EndpointCall.Open => ("OPEN", "OnOpen"),
                EndpointCall.Close => ("CLOSE", "OnClose"),
                EndpointCall.Error => ("ERROR", "OnError"),
                _ => ("MESSAGE", "OnMessage"),
            };

            // A root: never a child of the upgrade request, which lives as long as the socket.
            Activity.Current = null;
            var links = new List<ActivityLink>(2);
            if (UpgradeContext != default)
            {
                links.Add(new ActivityLink(UpgradeContext));
            }

            if (call == EndpointCall.Close && _openSpan != default)
            {
                links.Add(new ActivityLink(_openSpan));
            }

            var source = _instruments.ActivitySource;
            activity = source.StartActivity(
                $"{source.Name}.{operation}",
                call is EndpointCall.Open or EndpointCall.Close or EndpointCall.Error ? ActivityKind.Internal : ActivityKind.Server,
                parentContext: default,
                tags: null,
                links: links);
            if (activity is not null)
            {
                activity.DisplayName = $"{verb} {_route}";
                activity.SetTag(_endpoint.Key, _endpoint.Value);
                activity.SetTag(TelemetryTags.SessionId, sessionId);
                if (call is EndpointCall.Text or EndpointCall.Binary or EndpointCall.Pong)
                {
                    activity.SetTag(TelemetryTags.MessageType, call switch { EndpointCall.Text => "text", EndpointCall.Binary => "binary", _ => "pong" });
                }

                if (call == EndpointCall.Open)
                {
                    _openSpan = activity.Context;
                }
            }
        }

        return new HandlerCall(this, call, activity, _instruments.HandlerDuration.Enabled ? _clock.GetTimestamp() : 0);
    }

    internal void EndCall(EndpointCall call, Activity? activity, long started, Exception? error)
    {
        if (activity is not null)
        {
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.Message);
                activity.SetTag(TelemetryTags.ErrorType, error.GetType().FullName);
#if NET9_0_OR_GREATER
                activity.AddException(error);
#else
                activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                {
                    ["exception.type"] = error.GetType().FullName,
                    ["exception.message"] = error.Message,
                    ["exception.stacktrace"] = error.ToString(),
                }));
#endif
            }

            activity.Stop();
        }

        if (started != 0)
        {
            var tags = Tags();
            tags.Add(TelemetryTags.Handler, call switch
            {
                EndpointCall.Open => "open",
                EndpointCall.Close => "close",
                EndpointCall.Error => "error",
                EndpointCall.Pong => "pong",
                _ => "message",
            });
            if (error is not null)
            {
                tags.Add(TelemetryTags.ErrorType, TelemetryTags.HandlerErrorType(error));
            }

            _instruments.HandlerDuration.Record(_clock.GetElapsedTime(started).TotalSeconds, tags);
        }
    }

    private void Count(string direction, byte opcode, bool fin, long wireBytes, ref byte messageOpcode)
    {
        if (_instruments.Io.Enabled)
        {
            var tags = Tags();
            tags.Add(TelemetryTags.Direction, direction);
            _instruments.Io.Add(wireBytes, tags);
        }

        // A continuation frame (0) belongs to the message its first frame began; a control frame (8–10) is its own
        // message, even between the frames of a data message; a close frame is not counted as a message.
        var type = opcode switch
        {
            0 => messageOpcode,
            >= 8 => opcode,
            _ => messageOpcode = opcode,
        };
        if (fin && type != 8 && _instruments.Messages.Enabled)
        {
            var tags = Tags();
            tags.Add(TelemetryTags.Direction, direction);
            tags.Add(TelemetryTags.MessageType, type switch { 1 => "text", 2 => "binary", 9 => "ping", 10 => "pong", _ => "other" });
            _instruments.Messages.Add(1, tags);
        }
    }

    private TagList Tags()
    {
        var tags = new TagList { _endpoint };
        if (_port is { } port)
        {
            tags.Add(port);
        }

        return tags;
    }

    /// <summary>Counts each rate-limited message on its session's <c>rate_limited</c> counter (the rate limits' observer).</summary>
    public static IMessageRateLimitObserver RateLimitCounter { get; } = new RateLimitMetrics();

    /// <summary>One measured handler call: ended once, with its failure if it failed.</summary>
    internal readonly struct HandlerCall(SessionTelemetry telemetry, EndpointCall call, Activity? activity, long started)
    {
        public void End(Exception? error) => telemetry.EndCall(call, activity, started, error);
    }
}

/// <summary>The rate limits' observer: the action taken, on the session's own instruments.</summary>
file sealed class RateLimitMetrics : IMessageRateLimitObserver
{
    public void MessageRateLimited(WebSocketSession session, string? endpointPath, string policy, MessageRateLimitAction outcome) =>
        (session as EngineWebSocketSession)?.Telemetry?.RateLimited(outcome switch
        {
            MessageRateLimitAction.Delay => "delayed",
            MessageRateLimitAction.Reject => "rejected",
            _ => "closed",
        });
}

/// <summary>What a session's telemetry is tagged with and linked to.</summary>
/// <param name="Route">The endpoint's route template (server) or the server's host (client).</param>
/// <param name="Port">The server's port (client only).</param>
/// <param name="UpgradeContext">The upgrade request's span, or default.</param>
internal readonly record struct TelemetryTarget(string Route, int Port, ActivityContext UpgradeContext);
