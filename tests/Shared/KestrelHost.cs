using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>
/// A real Kestrel on 127.0.0.1 (ephemeral port) serving, by default, every generated endpoint of the test assembly
/// through the public <c>AddAnnotatedWebSockets</c>/<c>MapAnnotatedWebSockets</c>; <c>mapEndpoints</c> replaces
/// that mapping (for instance with hand-built endpoint definitions) and <c>map</c> adds to it.
/// </summary>
public sealed class KestrelHost : IAsyncDisposable
{
    private KestrelHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public static async Task<KestrelHost> StartAsync(
        Action<AnnotatedWebSocketsOptions>? configure = null,
        HttpProtocols protocols = HttpProtocols.Http1,
        Action<WebApplication>? map = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? mapEndpoints = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        builder.Services.AddAnnotatedWebSockets(configure);
        services?.Invoke(builder.Services);
        configureBuilder?.Invoke(builder);
        var app = builder.Build();
        if (mapEndpoints is null)
        {
            app.MapAnnotatedWebSockets();
        }
        else
        {
            mapEndpoints(app);
        }

        map?.Invoke(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new KestrelHost(app, new Uri(address));
    }

    public Uri WebSocketUri(string pathAndQuery) => new($"ws://{BaseAddress.Authority}{pathAndQuery}");

    public async Task<ClientWebSocket> ConnectAsync(string pathAndQuery, Action<ClientWebSocketOptions>? configure = null)
    {
        var client = new ClientWebSocket();
        configure?.Invoke(client.Options);
        await client.ConnectAsync(WebSocketUri(pathAndQuery), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
    }
}
