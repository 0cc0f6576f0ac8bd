using System.Net;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>Start-up validation of the mapped endpoints and how the mapping composes with routing.</summary>
public class DeploymentTests
{
    [Fact]
    public async Task Equivalent_templates_fail_deployment_naming_both_paths()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() => ServerTestHost.StartAsync(
            [new ScriptedEndpoint().ToDefinition("/deploy/{x}"), new ScriptedEndpoint().ToDefinition("/deploy/{y}")]));

        Assert.Contains("'/deploy/{y}' is equivalent to the path '/deploy/{x}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_malformed_path_is_reported()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() => ServerTestHost.StartAsync(
            [new ScriptedEndpoint().ToDefinition("no-slash"), new ScriptedEndpoint().ToDefinition("/a//b"), new ScriptedEndpoint().ToDefinition("/fine")]));

        Assert.Contains("'no-slash' does not start with '/'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'/a//b' contains an empty segment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_size_above_int_MaxValue_fails_deployment()
    {
        var endpoint = new ScriptedEndpoint { MaxTextMessageSize = (long)int.MaxValue + 1 };

        var error = await Assert.ThrowsAsync<DeploymentException>(() => ServerTestHost.StartAsync([endpoint.ToDefinition("/deploy/huge")]));

        Assert.Contains("MaxMessageSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_without_AddAnnotatedWebSockets_explains_what_is_missing()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapAnnotatedWebSockets());

        Assert.Contains("AddAnnotatedWebSockets", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Conventions_apply_to_every_mapped_endpoint()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrlsLoopback();
        builder.Services.AddAnnotatedWebSockets();
        await using var app = builder.Build();
        app.UseRouting();
        app.Use((context, next) =>
        {
            context.Response.Headers["X-Tag"] = context.GetEndpoint()?.Metadata.GetMetadata<TagMetadata>()?.Tag ?? "none";
            return next(context);
        });
        AnnotatedWebSocketsEndpointRouteBuilderExtensions
            .MapAnnotatedWebSocketEndpoints(app, [new ScriptedEndpoint().ToDefinition("/conv/one"), new ScriptedEndpoint().ToDefinition("/conv/{two}")])
            .WithMetadata(new TagMetadata("tagged"));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var one = await client.GetAsync("/conv/one").WaitAsync(TimeSpan.FromSeconds(10));
        using var two = await client.GetAsync("/conv/2").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("tagged", one.Headers.GetValues("X-Tag").Single());
        Assert.Equal("tagged", two.Headers.GetValues("X-Tag").Single());
        Assert.Equal(HttpStatusCode.UpgradeRequired, two.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_default_configurator_creates_a_new_instance_per_connection_in_a_DI_scope_disposed_after_close()
    {
        var definition = new AnnotatedEndpointDefinition
        {
            EndpointType = typeof(ScopedEndpoint),
            Path = "/deploy/scoped",
            Text = MessageDelivery.Whole,
            CreateEndpoint = services => new ScopedEndpoint(services.GetRequiredService<ScopedDependency>()),
            CreateDispatcher = instance => new ScopedEndpoint.Dispatcher((ScopedEndpoint)instance),
        };
        AnnotatedEndpointRegistry.Register(definition);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrlsLoopback();
        builder.Services.AddAnnotatedWebSockets();
        builder.Services.AddScoped<ScopedDependency>();
        await using var app = builder.Build();
        AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [definition]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var uri = new Uri(app.Urls.First().Replace("http", "ws", StringComparison.Ordinal) + "/deploy/scoped");

        var first = await AskIdAsync(uri);
        var second = await AskIdAsync(uri);

        Assert.NotEqual(first, second);
        await WaitUntilAsync(() => ScopedDependency.Disposed.ContainsKey(first) && ScopedDependency.Disposed.ContainsKey(second));
        await app.StopAsync();

        static async Task<string> AskIdAsync(Uri uri)
        {
            using var client = new System.Net.WebSockets.ClientWebSocket();
            await client.ConnectAsync(uri, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            await client.SendTextAsync("id?");
            var id = await client.ReceiveTextAsync();
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            return id;
        }

        // The scope is disposed after OnClose returns, so the client may see its close a moment earlier.
        static async Task WaitUntilAsync(Func<bool> condition)
        {
            for (var i = 0; i < 500 && !condition(); i++)
            {
                await Task.Delay(10);
            }

            Assert.True(condition(), "The connection's DI scope was not disposed.");
        }
    }

    [Fact]
    public async Task An_endpoint_that_uses_no_services_gets_no_DI_scope_unless_a_custom_configurator_creates_it()
    {
        var scoped = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        AnnotatedEndpointDefinition Define(string path, bool customConfigurator) => new()
        {
            // Two classes: deploying one class twice would deploy it once.
            EndpointType = customConfigurator ? typeof(CreatingConfigurator) : typeof(ServiceFreeEndpoint),
            Path = path,
            Text = MessageDelivery.Whole,
            UsesServices = false,
            CreateConfigurator = customConfigurator ? () => new CreatingConfigurator() : null,
            CreateEndpoint = services =>
            {
                scoped[path] = services.GetService(typeof(IServiceScopeFactory)) is not null;
                return new ServiceFreeEndpoint();
            },
            CreateDispatcher = instance => new ServiceFreeEndpoint.Dispatcher(),
        };

        await using var host = await ServerTestHost.StartAsync([Define("/deploy/plain", false), Define("/deploy/configured", true)]);
        foreach (var path in new[] { "/deploy/plain", "/deploy/configured" })
        {
            using var client = await host.ConnectAsync(path);
            await client.SendTextAsync("ping");
            Assert.Equal("pong", await client.ReceiveTextAsync());
            await client.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }

        // No scope: the factory was handed a provider with nothing in it. A custom configurator may resolve services
        // in GetEndpointInstance, so its connection still gets a real scope.
        Assert.False(scoped["/deploy/plain"]);
        Assert.True(scoped["/deploy/configured"]);
    }

    private sealed class CreatingConfigurator : ServerEndpointConfigurator
    {
        public override object GetEndpointInstance(Type endpointType, IServiceProvider services) =>
            base.GetEndpointInstance(endpointType, services);
    }

    private sealed class ServiceFreeEndpoint
    {
        internal sealed class Dispatcher : EndpointDispatcher
        {
            public override object Endpoint => this;

            public override ValueTask OnTextAsync(WebSocketSession session, string text, bool last) =>
                new(session.BasicRemote.SendTextAsync("pong"));
        }
    }

    private sealed record TagMetadata(string Tag);

    internal sealed class ScopedDependency : IDisposable
    {
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Disposed = new();

        public string Id { get; } = Guid.NewGuid().ToString("N");

        public void Dispose() => Disposed[Id] = true;
    }

    internal sealed class ScopedEndpoint(ScopedDependency dependency)
    {
        internal sealed class Dispatcher(ScopedEndpoint endpoint) : EndpointDispatcher
        {
            public override object Endpoint => endpoint;

            public override ValueTask OnTextAsync(WebSocketSession session, string text, bool last) =>
                new(session.BasicRemote.SendTextAsync(endpoint.DependencyId));
        }

        public string DependencyId => dependency.Id;
    }
}

/// <summary>Binds a test app to an ephemeral loopback port.</summary>
internal static class WebHostTestExtensions
{
    public static void UseUrlsLoopback(this Microsoft.AspNetCore.Builder.ConfigureWebHostBuilder webHost) =>
        Microsoft.AspNetCore.Hosting.HostingAbstractionsWebHostBuilderExtensions.UseUrls(webHost, "http://127.0.0.1:0");
}
