using Annotated.WebSockets.Bench.SignalREchoServer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;

// ws://<address>/echo and ws://<address>/room: the load tool connects with skipNegotiation (WebSockets transport only)
// and speaks the JSON hub protocol. The 64 KiB profile needs a receive limit above SignalR's default of 32 KiB. The
// fan-out members only read, and the tool sends no SignalR pings, so the client timeout (30 s by default) is raised
// above any measurement's length; nothing else differs from SignalR's defaults. With --redis HOST:PORT (the scale-out
// benchmark) the node uses SignalR's Redis backplane (Microsoft.AspNetCore.SignalR.StackExchangeRedis) with its
// defaults and the channel prefix "bench", so several nodes on one Redis share their groups.
var builder = WebApplication.CreateBuilder(args);
var signalR = builder.Services.AddSignalR(options =>
{
    options.MaximumReceiveMessageSize = 1024 * 1024;
    options.ClientTimeoutInterval = TimeSpan.FromMinutes(10);
});
var redis = builder.Configuration["redis"];
if (!string.IsNullOrWhiteSpace(redis))
{
    signalR.AddStackExchangeRedis(redis, options => options.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("bench"));
}

var app = builder.Build();
app.MapHub<EchoHub>("/echo", options => options.Transports = HttpTransportType.WebSockets);
app.MapHub<RoomHub>("/room", options => options.Transports = HttpTransportType.WebSockets);

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"SignalR echo listening on {address}{(string.IsNullOrWhiteSpace(redis) ? "" : $" (Redis backplane {redis})")}");
    }
});

app.Run();
