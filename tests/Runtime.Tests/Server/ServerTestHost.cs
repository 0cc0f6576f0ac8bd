using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>A real Kestrel on 127.0.0.1 with an ephemeral port, serving the given endpoint definitions.</summary>
internal sealed class ServerTestHost : IAsyncDisposable
{
    private ServerTestHost(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public static async Task<ServerTestHost> StartAsync(
        IEnumerable<AnnotatedEndpointDefinition> definitions,
        Action<AnnotatedWebSocketsOptions>? configure = null,
        HttpProtocols protocols = HttpProtocols.Http1,
        bool exposeEndpointName = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        builder.Services.AddAnnotatedWebSockets(configure);
        var app = builder.Build();
        if (exposeEndpointName)
        {
            app.UseRouting();
            app.Use((context, next) =>
            {
                context.Response.Headers["X-Endpoint"] = context.GetEndpoint()?.DisplayName ?? "none";
                return next(context);
            });
        }

        AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, definitions);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ServerTestHost(app, new Uri(address));
    }

    public static Task<ServerTestHost> StartAsync(string path, ScriptedEndpoint endpoint, Action<AnnotatedWebSocketsOptions>? configure = null) =>
        StartAsync([endpoint.ToDefinition(path)], configure);

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
