using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// ws://<address>/room/{room} (WebSocketGroups) and ws://<address>/room-loop/{room} (await each member): started by
// bench/Load/LoadTool with --urls http://127.0.0.1:PORT. Product defaults otherwise: per-member send queue of 1,024
// messages / 1 MiB, send-queue timeout 30 s, overflow policy Close. With --redis HOST:PORT (the scale-out benchmark)
// the node uses the Redis backplane (Annotated.WebSockets.Redis) with its defaults and the channel prefix "bench", so
// several nodes on one Redis share their rooms; --redis-no-wait true sets RedisBackplaneOptions.WaitForPublish = false
// (a send returns once its message is queued for Redis, not when Redis answered).
var builder = WebApplication.CreateBuilder(args);
var websockets = builder.Services.AddAnnotatedWebSockets();
var redis = builder.Configuration["redis"];
if (!string.IsNullOrWhiteSpace(redis))
{
    var noWait = builder.Configuration.GetValue<bool>("redis-no-wait");
    websockets.AddRedisBackplane(redis, options =>
    {
        options.ChannelPrefix = "bench";
        options.WaitForPublish = !noWait;
    });
}

var app = builder.Build();
app.MapAnnotatedWebSockets();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"Fan-out server listening on {address} (/room/{{room}}, /room-loop/{{room}}){(string.IsNullOrWhiteSpace(redis) ? "" : $"; Redis backplane {redis}")}");
    }
});

app.Run();
