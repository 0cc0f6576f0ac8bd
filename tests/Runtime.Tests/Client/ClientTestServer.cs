using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
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

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>
/// A real Kestrel on 127.0.0.1 (ephemeral port) for the client tests. It serves
/// <see cref="ClientTestsEchoServer"/> (our server) at /client-tests/echo and, with ASP.NET Core's own
/// AcceptWebSocketAsync, /raw/echo (echo; "close:CODE:REASON" closes; "abort" drops the connection),
/// /raw/bad-subprotocol and /raw/bad-extension (answers the client did not ask for). Every request's headers
/// and protocol are recorded per <c>?id=</c>.
/// </summary>
internal sealed class ClientTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClientTestServer(WebApplication app, Uri baseAddress, bool secure)
    {
        _app = app;
        BaseAddress = baseAddress;
        Secure = secure;
    }

    /// <summary>Request headers per test id (the last request of that id).</summary>
    public static ConcurrentDictionary<string, Dictionary<string, string>> RequestHeaders { get; } = new(StringComparer.Ordinal);

    /// <summary>The HTTP protocol ("HTTP/1.1", "HTTP/2") of the requests per test id.</summary>
    public static ConcurrentDictionary<string, string> RequestProtocols { get; } = new(StringComparer.Ordinal);

    public Uri BaseAddress { get; }

    public bool Secure { get; }

    public static async Task<ClientTestServer> StartAsync(
        Action<AnnotatedWebSocketsOptions>? configure = null,
        HttpProtocols protocols = HttpProtocols.Http1,
        X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        builder.Services.AddAnnotatedWebSockets(configure);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            if (context.Request.Query.TryGetValue("id", out var id) && id.Count > 0)
            {
                RequestHeaders[id[0]!] = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
                RequestProtocols[id[0]!] = context.Request.Protocol;
            }

            return next(context);
        });
        app.UseWebSockets();
        app.Map("/raw/echo", RawEchoAsync);
        app.Map("/raw/bad-subprotocol", async context =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync("never-offered");
            await DrainAsync(socket);
        });
        app.Map("/raw/bad-extension", async context =>
        {
            context.Response.Headers["Sec-WebSocket-Extensions"] = "permessage-deflate";
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await DrainAsync(socket);
        });
        var definition = AnnotatedEndpointRegistry.Find(typeof(ClientTestsEchoServer))
            ?? throw new InvalidOperationException("The generator did not register ClientTestsEchoServer.");
        AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [definition]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ClientTestServer(app, new Uri(address), certificate is not null);
    }

    public Uri WebSocketUri(string path, string id) =>
        new($"{(Secure ? "wss" : "ws")}://{BaseAddress.Authority}{path}?id={id}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }

    private static async Task RawEchoAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        context.Response.Headers["X-Server"] = "raw";
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(result.CloseStatus ?? WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, CancellationToken.None);
                return;
            }

            var text = result.MessageType == WebSocketMessageType.Text ? System.Text.Encoding.UTF8.GetString(message.ToArray()) : null;
            if (text == "abort")
            {
                context.Abort();
                return;
            }

            if (text is not null && text.StartsWith("close:", StringComparison.Ordinal))
            {
                var parts = text.Split(':', 3);
                await socket.CloseAsync((WebSocketCloseStatus)int.Parse(parts[1], CultureInfo.InvariantCulture), parts[2], CancellationToken.None);
                return;
            }

            await socket.SendAsync(message.ToArray(), result.MessageType, endOfMessage: true, CancellationToken.None);
        }
    }

    private static async Task DrainAsync(WebSocket socket)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The client failed the connection, as it should.
        }
    }
}
