using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateBuilder(args);

// Without --urls (or ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS / launch settings) the sample listens on a fixed,
// documented port.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:5001");
}

builder.Services.AddAnnotatedWebSockets(options =>
{
    options.PerMessageDeflate.Enabled = true;
    // Conformance suites send messages of up to 16 MiB.
    options.Sessions.MaxTextMessageBufferSize = 16 * 1024 * 1024;
    options.Sessions.MaxBinaryMessageBufferSize = 16 * 1024 * 1024;
    options.Sessions.MaxFramePayloadSize = 16 * 1024 * 1024;
});

var app = builder.Build();
app.MapAnnotatedWebSockets();

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        Console.WriteLine($"Echo sample listening on {address} (WebSocket endpoint: {address.Replace("http", "ws", StringComparison.Ordinal)}/echo)");
    }
});

app.Run();
