using Annotated.Samples.Chat;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Testing.Tests;

/// <summary>The harness inside the chat sample's own application (its Program, services and middleware).</summary>
public class FactoryTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_chat_room_relays_and_lists_members()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var ann = await host.ConnectAsync("/chat/lobby?name=ann");
        await ann.ExpectTextAsync("* ann joined #lobby");
        await ann.ExpectTextAsync("* here: ann");

        var bob = await host.ConnectAsync("/chat/lobby?name=bob");
        await ann.ExpectTextAsync("* bob joined #lobby");
        await ann.ExpectTextAsync("* here: ann, bob");
        await bob.ExpectTextAsync("* bob joined #lobby");
        await bob.ExpectTextAsync("* here: ann, bob");

        await bob.SendTextAsync("hi");
        await ann.ExpectTextAsync("bob: hi");
        await bob.ExpectTextAsync("bob: hi");

        await bob.CloseAsync();
        await bob.ExpectCloseAsync(CloseCode.NormalClosure);
        await ann.ExpectTextAsync("* bob left #lobby");
        await ann.ExpectTextAsync("* here: ann");
        await ann.ExpectNothingMoreAsync();
    }

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
    public async Task Virtual_time_reaches_the_application()
    {
        await using var host = WebSocketTestHost.Create(factory);
        var ann = await host.ConnectAsync("/chat/lobby?name=ann");
        await ann.ExpectTextAsync("* ann joined #lobby");
        await ann.ExpectTextAsync("* here: ann");

        // The sample keeps the default 5-minute idle timeout.
        await host.AdvanceAsync(TimeSpan.FromMinutes(6));

        await ann.ExpectCloseAsync(CloseCode.GoingAway);
    }
}
