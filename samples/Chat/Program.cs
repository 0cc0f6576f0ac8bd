using Annotated.Samples.Chat;
using Annotated.WebSockets;
using Annotated.WebSockets.Diagnostics;
using OpenTelemetry.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateBuilder(args);

// Without --urls (or ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS / launch settings) the sample listens on
// http://localhost:5000.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:5000");
}

// Each visitor may send 20 chat lines a second (a burst of 20, then 20 more every second); past that the server stops
// reading their connection until a line may go through: nothing is lost, and the others in the room are not slowed.
var websockets = builder.Services.AddAnnotatedWebSockets(options =>
    options.AddMessageRateLimitPolicy(ChatEndpoint.LinePolicy, policy => policy.AddLimit(20, TimeSpan.FromSeconds(1))));

// A visitor's name (the name query parameter) is their user id: the member list and the rooms work over every node.
builder.Services.AddSingleton<IWebSocketUserIdProvider, ChatNameUserIdProvider>();

// With ConnectionStrings:Redis (e.g. --ConnectionStrings:Redis=127.0.0.1:6379) several chat nodes share their rooms
// through Redis; without it the sample runs alone.
var redis = builder.Configuration.GetConnectionString("Redis");

// Operable: /healthz (readiness: draining, connection limit, send-queue timeouts, and Redis when it is used; liveness is
// /healthz/live, which checks nothing but that the process answers) and /metrics (the WebSocket server's instruments
// and ASP.NET Core's, in Prometheus's text format, through the OpenTelemetry SDK).
var health = builder.Services.AddHealthChecks().AddWebSocketServerCheck();
builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
    .AddMeter(WebSocketTelemetry.ServerMeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
    .AddPrometheusExporter());
if (!string.IsNullOrWhiteSpace(redis))
{
    websockets.AddRedisBackplane(redis, options => options.ChannelPrefix = "chat");
    health.AddRedisBackplaneCheck(tags: ["ready"]);
}

var app = builder.Build();
app.UseDefaultFiles();   // "/" serves wwwroot/index.html
app.UseStaticFiles();
app.MapAnnotatedWebSockets();
app.MapHealthChecks("/healthz", new() { Predicate = static check => check.Tags.Contains("ready") });
app.MapHealthChecks("/healthz/live", new() { Predicate = static _ => false });
app.MapPrometheusScrapingEndpoint();   // /metrics
app.MapAsyncApiDocument();  // /asyncapi.json: the endpoints' AsyncAPI 3.0 document, for tools and AsyncAPI Studio

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        Console.WriteLine($"Chat sample listening on {address}");
    }

    Console.WriteLine(string.IsNullOrWhiteSpace(redis) ? "Rooms: this node only." : $"Rooms: shared with every node on Redis {redis}.");
});

app.Run();
