using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// ws://<address>/room/{room} (WebSocketGroups) and ws://<address>/room-loop/{room} (await each member): started by
// bench/Load/LoadTool with --urls http://127.0.0.1:PORT. Product defaults otherwise: per-member send queue of 1,024
// messages / 1 MiB, send-queue timeout 30 s, overflow policy Close.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddAnnotatedWebSockets();
var app = builder.Build();
app.MapAnnotatedWebSockets();

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"Fan-out server listening on {address} (/room/{{room}}, /room-loop/{{room}})");
    }
});

app.Run();
