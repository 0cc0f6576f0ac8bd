using System.Net;
using System.Security.Claims;
using Annotated.WebSockets.Server;
using Annotated.WebSockets.Testing.Transport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Testing;

/// <summary>
/// Builds a standalone <see cref="WebSocketTestHost"/>: a minimal ASP.NET Core application on a test server with
/// <c>AddAnnotatedWebSockets</c>, the services and middleware a test adds, and the endpoints to map (every
/// <c>[ServerEndpoint]</c> of the test project unless some are named with <see cref="AddEndpoint{T}"/>).
/// </summary>
/// <example>
/// <code>
/// await using var host = await WebSocketTestHost.CreateBuilder()
///     .AddEndpoint&lt;EchoEndpoint&gt;()
///     .ConfigureWebSockets(options => options.Sessions.MaxIdleTimeout = TimeSpan.FromMinutes(30))
///     .StartAsync();
/// var client = await host.ConnectAsync("/echo");
/// await client.SendTextAsync("hi");
/// await client.ExpectTextAsync("hi");
/// </code>
/// </example>
public sealed class WebSocketTestHostBuilder
{
    private readonly List<Type> _endpoints = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly List<Action<AnnotatedWebSocketsOptions>> _webSockets = [];
    private readonly List<Action<WebApplication>> _pipeline = [];
    private readonly WebSocketTestHostOptions _options = new();

    internal WebSocketTestHostBuilder()
    {
    }

    /// <summary>Maps <typeparamref name="T"/>; once any endpoint is named, only the named ones are mapped.</summary>
    /// <typeparam name="T">A <c>[ServerEndpoint]</c> class.</typeparam>
    /// <returns>This builder.</returns>
    public WebSocketTestHostBuilder AddEndpoint<T>()
        where T : class
    {
        _endpoints.Add(typeof(T));
        return this;
    }

    /// <summary>Adds services to the application (endpoint dependencies, overrides, authentication…).</summary>
    /// <param name="configure">Adds the services.</param>
    /// <returns>This builder.</returns>
    public WebSocketTestHostBuilder ConfigureServices(Action<IServiceCollection> configure) => Add(_services, configure);

    /// <summary>Sets the server's options (limits, timeouts, origins), as <c>AddAnnotatedWebSockets(configure)</c> does.</summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    public WebSocketTestHostBuilder ConfigureWebSockets(Action<AnnotatedWebSocketsOptions> configure) => Add(_webSockets, configure);

    /// <summary>Adds middleware to the pipeline, before the endpoints are mapped (<c>app.UseAuthentication()</c>…).</summary>
    /// <param name="configure">Configures the application.</param>
    /// <returns>This builder.</returns>
    public WebSocketTestHostBuilder Configure(Action<WebApplication> configure) => Add(_pipeline, configure);

    /// <summary>Sets the host's own options (virtual time, expectation and quiescence timeouts, reporting).</summary>
    /// <param name="configure">Sets the options.</param>
    /// <returns>This builder.</returns>
    public WebSocketTestHostBuilder ConfigureHost(Action<WebSocketTestHostOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    private WebSocketTestHostBuilder Add<T>(List<T> list, T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        list.Add(item);
        return this;
    }

    /// <summary>Builds and starts the host.</summary>
    /// <returns>The started host; dispose it at the end of the test.</returns>
    public async Task<WebSocketTestHost> StartAsync()
    {
        var clock = _options.UseVirtualTime ? new TestClock() : null;
        var signal = new ActivitySignal();
        var builder = WebApplication.CreateSlimBuilder();
        KestrelTransport? kestrel = null;
        if (_options.Transport == WebSocketTestTransport.Kestrel)
        {
            kestrel = new KestrelTransport(signal);
            builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0, listen => listen.Use(kestrel.Watch)));
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        if (clock is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        builder.Services.AddAnnotatedWebSockets(options =>
        {
            foreach (var configure in _webSockets)
            {
                configure(options);
            }
        });
        foreach (var configure in _services)
        {
            configure(builder.Services);
        }

        var app = builder.Build();
        try
        {
            foreach (var configure in _pipeline)
            {
                configure(app);
            }

            if (_endpoints.Count > 0)
            {
                app.MapAnnotatedWebSockets([.. _endpoints]);
            }
            else
            {
                app.MapAnnotatedWebSockets();
            }

            await app.StartAsync().ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Uri baseUri;
        Func<ClaimsPrincipal?, (ITestConnection Connection, HttpMessageHandler Handler)> connect;
        if (kestrel is null)
        {
            baseUri = new Uri("ws://localhost/");
            connect = WebSocketTestHost.InMemory(app.GetTestServer(), signal);
        }
        else
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
            var endpoint = new IPEndPoint(IPAddress.Loopback, address.Port);
            baseUri = new Uri($"ws://127.0.0.1:{address.Port}/");
            connect = user =>
            {
                if (user is not null)
                {
                    throw new NotSupportedException(
                        "A user principal can be given only in memory (WebSocketTestTransport.InMemory); over Kestrel, authenticate the handshake through a header.");
                }

                var connection = kestrel.Connect(endpoint);
                return (connection, new AnswerCapturingHandler(connection.Handler));
            };
        }

        return new WebSocketTestHost(signal, connect, baseUri, app.Services, clock, _options, () => app.StopAsync(), app.DisposeAsync);
    }
}
