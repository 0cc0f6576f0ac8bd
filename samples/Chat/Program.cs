using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var builder = WebApplication.CreateBuilder(args);

// Without --urls (or ASPNETCORE_URLS / ASPNETCORE_HTTP_PORTS / launch settings) the sample listens on
// http://localhost:5000.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:5000");
}

builder.Services.AddAnnotatedWebSockets();

var app = builder.Build();
app.UseDefaultFiles();   // "/" serves wwwroot/index.html
app.UseStaticFiles();
app.MapAnnotatedWebSockets();
app.MapAsyncApiDocument();  // /asyncapi.json: the endpoints' AsyncAPI 3.0 document, for tools and AsyncAPI Studio

app.Lifetime.ApplicationStarted.Register(() =>
{
    var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
    foreach (var address in addresses)
    {
        Console.WriteLine($"Chat sample listening on {address}");
    }
});

app.Run();
