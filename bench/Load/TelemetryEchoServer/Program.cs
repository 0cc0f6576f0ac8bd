using System.Diagnostics;
using Annotated.WebSockets.Bench.TelemetryEchoServer;
using Annotated.WebSockets.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// --telemetry off | metrics | traces (default off). Metrics: the runtime's server meter aggregated by the SDK for a
// Prometheus scrape endpoint (/metrics, as in samples/Chat; the tool does not scrape, so what is measured is the cost
// of recording). Traces: metrics, plus the runtime's activity source with every span sampled and handed to an exporter
// that counts them (the SDK's batch processor does the work a real exporter's pipeline does up to the network).
var builder = WebApplication.CreateBuilder(args);
var telemetry = builder.Configuration["telemetry"] ?? "off";
if (telemetry is not ("off" or "metrics" or "traces"))
{
    Console.Error.WriteLine($"--telemetry takes off, metrics or traces, not '{telemetry}'.");
    return 2;
}

// As samples/Echo, so that "off" is the annotated server of the echo profiles.
builder.Services.AddAnnotatedWebSockets(options =>
{
    options.PerMessageDeflate.Enabled = true;
    options.Sessions.MaxTextMessageBufferSize = 16 * 1024 * 1024;
    options.Sessions.MaxBinaryMessageBufferSize = 16 * 1024 * 1024;
    options.Sessions.MaxFramePayloadSize = 16 * 1024 * 1024;
});
if (telemetry != "off")
{
    var otel = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
        .AddMeter(WebSocketTelemetry.ServerMeterName)
        .AddPrometheusExporter());
    if (telemetry == "traces")
    {
        otel.WithTracing(tracing => tracing
            .AddSource(WebSocketTelemetry.ServerActivitySourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(new BatchActivityExportProcessor(new CountingExporter())));
    }
}

var app = builder.Build();
app.MapAnnotatedWebSockets();
if (telemetry != "off")
{
    app.MapPrometheusScrapingEndpoint();
}

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Telemetry echo server started (telemetry: {telemetry})."));
app.Run();
return 0;

namespace Annotated.WebSockets.Bench.TelemetryEchoServer
{
    /// <summary>An exporter that takes every batch of spans and counts them: the pipeline's cost without a network.</summary>
    internal sealed class CountingExporter : BaseExporter<Activity>
    {
        private long _exported;

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                _ = activity.DisplayName;
                Interlocked.Increment(ref _exported);
            }

            return ExportResult.Success;
        }
    }
}
