using Annotated.Samples.Chat;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Testing.Tests;

/// <summary>
/// The harness inside the chat sample's own application (its Program, services and middleware); the chat's own behavior
/// is tested in samples/Chat.Tests.
/// </summary>
public class FactoryTests(ChatApplication factory) : IClassFixture<ChatApplication>
{
    [Fact]
    public async Task A_DI_override_refuses_the_handshake_with_a_status()
    {
        await using var host = WebSocketTestHost.Create(
            factory,
            services => services.Configure<Annotated.WebSockets.Server.AnnotatedWebSocketsOptions>(options => options.AllowedOrigins.Add("https://chat.example")));

        var refused = await host.TryConnectAsync("/chat/lobby", options => options.WithHeader("Origin", "https://evil.example"));

        Assert.Equal(403, refused.StatusCode);
    }

    [Fact]
    public async Task The_virtual_clock_is_the_application_s_time_provider()
    {
        await using var host = WebSocketTestHost.Create(factory);

        Assert.NotNull(host.Clock);
        Assert.Same(host.Clock, host.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task The_same_refusal_test_works_standalone()
    {
        await using var host = await WebSocketTestHost.CreateBuilder()
            .AddEndpoint<EchoEndpoint>()
            .ConfigureServices(services => services.AddSingleton<Calls>())
            .ConfigureWebSockets(options => options.AllowedOrigins.Add("https://chat.example"))
            .StartAsync();

        var refused = await host.TryConnectAsync("/t/echo", options => options.WithHeader("Origin", "https://evil.example"));

        Assert.Equal(403, refused.StatusCode);
    }
}

/// <summary>
/// The chat application as this test assembly sees it: MapAnnotatedWebSockets maps every generated endpoint of the
/// loaded assemblies, this one's too, so the policy its rate-limited endpoint names is added as a test would add it.
/// </summary>
public sealed class ChatApplication : WebApplicationFactory<Program>
{
    /// <inheritdoc />
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.Configure<Annotated.WebSockets.Server.AnnotatedWebSocketsOptions>(options =>
            options.AddMessageRateLimitPolicy(SlowEchoEndpoint.Policy, policy => policy.AddLimit(1, TimeSpan.FromSeconds(1)))));
}
