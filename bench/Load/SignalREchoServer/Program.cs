using Annotated.WebSockets.Bench.SignalREchoServer;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Connections;

// ws://<address>/echo: the load tool connects with skipNegotiation (WebSockets transport only) and speaks the JSON
// hub protocol. The 64 KiB profile needs a receive limit above SignalR's default of 32 KiB.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSignalR(options => options.MaximumReceiveMessageSize = 1024 * 1024);
var app = builder.Build();
app.MapHub<EchoHub>("/echo", options => options.Transports = HttpTransportType.WebSockets);

app.Lifetime.ApplicationStarted.Register(() =>
{
    foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
    {
        Console.WriteLine($"SignalR echo listening on {address}");
    }
});

app.Run();
