using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Interop.Tests.InProcess;

/// <summary>
/// Hosts this assembly's test-only endpoints (<see cref="SubprotocolEndpoint"/>, the described endpoints of
/// Description/) and their AsyncAPI document at /asyncapi.json in-process on Kestrel, on
/// 127.0.0.1 port 0, with AddAnnotatedWebSockets/MapAnnotatedWebSockets as an application would. Starts on
/// first use.
/// </summary>
public sealed class InProcessServerFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;
    private Uri? _address;

    /// <summary>A ws:// address on the in-process server.</summary>
    internal async Task<Uri> WebSocketUriAsync(string path)
    {
        await _gate.WaitAsync();
        try
        {
            if (_address is null)
            {
                var builder = WebApplication.CreateSlimBuilder();
                builder.Logging.ClearProviders();
                builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
                builder.Services.AddAnnotatedWebSockets(options => options.PerMessageDeflate.Enabled = true);
                _app = builder.Build();
                _app.MapAnnotatedWebSockets();
                _app.MapAsyncApiDocument();
                await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
                // After start, Urls holds the address Kestrel actually bound (the port chosen for port 0).
                var bound = _app.Urls.Single();
                _address = new Uri(bound.Replace("http://", "ws://", StringComparison.Ordinal));
            }

            return new Uri(_address, path);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>An http:// address on the in-process server.</summary>
    internal async Task<Uri> HttpUriAsync(string path)
    {
        var webSocket = await WebSocketUriAsync(path);
        return new UriBuilder(webSocket) { Scheme = "http" }.Uri;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
            await _app.DisposeAsync();
        }

        _gate.Dispose();
    }
}
