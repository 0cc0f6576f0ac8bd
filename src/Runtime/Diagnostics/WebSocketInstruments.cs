using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// One container's meter, instruments and activity source (server or client), made once per container through
/// <see cref="IMeterFactory"/> when there is one. An instrument nobody listens to costs one <c>Enabled</c> check.
/// </summary>
internal sealed class WebSocketInstruments : IDisposable
{
    // Advised buckets (seconds): connection lifetimes up to 5 minutes, handshakes and handlers from 5 ms to 10 s.
    private static readonly double[] LongBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
    private static readonly double[] ShortBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    private readonly Meter _meter;

    public WebSocketInstruments(IMeterFactory? meterFactory, bool server)
    {
        IsServer = server;
        var name = server ? WebSocketTelemetry.ServerMeterName : WebSocketTelemetry.ClientMeterName;
        var version = typeof(WebSocketInstruments).Assembly.GetName().Version?.ToString();
        _meter = meterFactory?.Create(new MeterOptions(name) { Version = version }) ?? new Meter(name, version);
        ActivitySource = new ActivitySource(server ? WebSocketTelemetry.ServerActivitySourceName : WebSocketTelemetry.ClientActivitySourceName, version);
        var prefix = server ? "annotated_websockets.server." : "annotated_websockets.client.";

        ActiveConnections = _meter.CreateUpDownCounter<long>(prefix + "active_connections", "{connection}", "Open WebSocket sessions.");
        ConnectionDuration = Histogram(prefix + "connection.duration", "s", "How long sessions lasted, by close code, who closed and why.", LongBuckets);
        Messages = _meter.CreateCounter<long>(prefix + "messages", "{message}", "Whole messages received and sent (text, binary, ping, pong).");
        Io = _meter.CreateCounter<long>(prefix + "io", "By", "Bytes on the wire, frame headers included, after compression.");
        HandlerDuration = Histogram(prefix + "handler.duration", "s", "How long endpoint handlers took, by handler kind.", ShortBuckets);
        SendQueueSize = _meter.CreateUpDownCounter<long>(prefix + "send_queue.size", "By", "Bytes queued to be sent and not yet taken by the transport.");
        SendQueueWaiting = _meter.CreateUpDownCounter<long>(prefix + "send_queue.waiting", "{sender}", "Senders waiting because a session's send queue is full.");
        SendQueueTimeouts = _meter.CreateCounter<long>(prefix + "send_queue.timeouts", "{session}", "Sessions closed because their peer took nothing for the send-queue timeout.");
        MessagesDropped = _meter.CreateCounter<long>(prefix + "messages.dropped", "{message}", "Broadcast messages a member did not get (its queue was full under the Drop policy).");
        PingDuration = Histogram(prefix + "ping.duration", "s", "Round trip of keep-alive pings: ping sent to pong received.", ShortBuckets);
        RateLimited = _meter.CreateCounter<long>(prefix + "rate_limited", "{message}", "Messages over a rate limit, by the action taken.");
        if (server)
        {
            HandshakeDuration = Histogram(prefix + "handshake.duration", "s", "From the upgrade request to the 101 (or the refusal).", ShortBuckets);
            RejectedConnections = _meter.CreateCounter<long>(prefix + "rejected_connections", "{connection}", "Upgrade requests refused, by status and reason.");
        }
        else
        {
            ConnectDuration = Histogram(prefix + "connect.duration", "s", "Connecting: TCP, TLS and the opening handshake.", ShortBuckets);
        }
    }

    public bool IsServer { get; }

    public ActivitySource ActivitySource { get; }

    public UpDownCounter<long> ActiveConnections { get; }

    public Histogram<double> ConnectionDuration { get; }

    public Histogram<double>? HandshakeDuration { get; }

    public Histogram<double>? ConnectDuration { get; }

    public Counter<long>? RejectedConnections { get; }

    public Counter<long> Messages { get; }

    public Counter<long> Io { get; }

    public Histogram<double> HandlerDuration { get; }

    public UpDownCounter<long> SendQueueSize { get; }

    public UpDownCounter<long> SendQueueWaiting { get; }

    public Counter<long> SendQueueTimeouts { get; }

    public Counter<long> MessagesDropped { get; }

    public Histogram<double> PingDuration { get; }

    public Counter<long> RateLimited { get; }

    public void Dispose()
    {
        _meter.Dispose();
        ActivitySource.Dispose();
    }

    private Histogram<double> Histogram(string name, string unit, string description, double[] buckets) =>
#if NET9_0_OR_GREATER
        _meter.CreateHistogram(name, unit, description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = buckets });
#else
        // net8.0 has no bucket advice: exporters use their defaults there (docs/OBSERVABILITY.md says which to set).
        _meter.CreateHistogram<double>(name, unit, description);
#endif
}
