using Annotated.Samples.Chat;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Testing.Tests;

/// <summary>
/// The harness inside the chat sample's own application (its Program, services and middleware); the chat's own behavior
/// is tested in samples/Chat.Tests.
/// </summary>
public class FactoryTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
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
