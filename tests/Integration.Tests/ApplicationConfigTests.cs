using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// Our form of Jakarta's <c>ServerApplicationConfig</c> (§6.2): the application chooses at start-up which generated
/// endpoints and which programmatic configs are deployed; and an endpoint that requires a secure connection (§8.3).
/// </summary>
public class ApplicationConfigTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_application_config_deploys_the_endpoints_it_chooses_and_its_programmatic_configs_only()
    {
        var application = new EchoAndGreeter();
        await using var host = await KestrelHost.StartAsync(mapEndpoints: app => app.MapAnnotatedWebSockets(application));

        await AssertEchoesAsync(host, $"/it/echo/{Recorder.NewTestId()}", "kept", "kept");
        await AssertEchoesAsync(host, $"/it/app/greeter/{Recorder.NewTestId()}", "ada", "hi ada");
        Assert.Equal(HttpStatusCode.NotFound, await RefusedWithAsync(host, "/it/deflate"));
        Assert.Contains(typeof(EchoEndpoint), application.Scanned!);
        Assert.Contains(typeof(SecureOnlyEndpoint), application.Scanned!);
        Assert.Throws<NotSupportedException>(() => ((ISet<Type>)application.Scanned!).Clear());
    }

    [Fact]
    public async Task Application_configs_registered_as_services_choose_for_MapAnnotatedWebSockets_and_their_choices_are_joined()
    {
        await using var host = await KestrelHost.StartAsync(services: services =>
        {
            services.AddSingleton<IServerApplicationConfig, EchoAndGreeter>();
            services.AddSingleton<IServerApplicationConfig>(new Only(typeof(SecureOnlyEndpoint)));
        });

        await AssertEchoesAsync(host, $"/it/echo/{Recorder.NewTestId()}", "joined", "joined");
        await AssertEchoesAsync(host, $"/it/app/greeter/{Recorder.NewTestId()}", "bob", "hi bob");
        Assert.Equal(HttpStatusCode.Forbidden, await RefusedWithAsync(host, "/it/secure-only"));   // deployed, and ws is refused
        Assert.Equal(HttpStatusCode.NotFound, await RefusedWithAsync(host, "/it/deflate"));
    }

    [Fact]
    public async Task A_class_the_application_was_not_given_fails_deployment()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            KestrelHost.StartAsync(mapEndpoints: app => app.MapAnnotatedWebSockets(new Only(typeof(Greeting)))));

        Assert.Contains(typeof(Only).FullName!, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{typeof(Greeting).FullName}' is not a server endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_ws_handshake_to_an_endpoint_requiring_a_secure_connection_gets_403()
    {
        await using var host = await KestrelHost.StartAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await RefusedWithAsync(host, "/it/secure-only"));
        await AssertEchoesAsync(host, $"/it/echo/{Recorder.NewTestId()}", "others", "others");   // other endpoints take ws
    }

    private static async Task AssertEchoesAsync(KestrelHost host, string path, string sent, string expected)
    {
        using var client = await host.ConnectAsync(path);
        await client.SendTextAsync(sent);
        Assert.Equal(expected, await client.ReceiveTextAsync());
    }

    private static async Task<HttpStatusCode> RefusedWithAsync(KestrelHost host, string path)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri(path), CancellationToken.None).WaitAsync(s_timeout));
        return client.HttpStatusCode;
    }

    /// <summary>Keeps the echo endpoint of the generated ones and adds a programmatic greeter.</summary>
    private sealed class EchoAndGreeter : IServerApplicationConfig
    {
        public IReadOnlySet<Type>? Scanned { get; private set; }

        public IEnumerable<Type> GetAnnotatedEndpointClasses(IReadOnlySet<Type> scanned)
        {
            Scanned = scanned;
            return scanned.Where(static type => type == typeof(EchoEndpoint));
        }

        public IEnumerable<ServerEndpointConfig> GetEndpointConfigs() =>
            [new ServerEndpointConfig(typeof(ProgrammaticEchoEndpoint), "/it/app/greeter/{test}", static _ => new ProgrammaticEchoEndpoint(new Greeting()))];
    }

    /// <summary>Deploys the given classes and no programmatic endpoint (the interface's default).</summary>
    private sealed class Only(params Type[] types) : IServerApplicationConfig
    {
        public IEnumerable<Type> GetAnnotatedEndpointClasses(IReadOnlySet<Type> scanned) => types;
    }
}
