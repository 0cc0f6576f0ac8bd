using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Testing.Tests;

public class HandshakeTests
{
    [Fact]
    public async Task A_path_no_endpoint_matches_is_a_404_result_that_lists_the_templates()
    {
        await using var host = await Hosts.StartAsync();

        var result = await host.TryConnectAsync("/nowhere");

        Assert.False(result.IsAccepted);
        Assert.Equal(404, result.StatusCode);
        Assert.Contains("/t/echo", result.Failure);
        Assert.Contains("/t/room/{room}", result.Failure);
    }

    [Fact]
    public async Task ConnectAsync_on_a_refusal_throws_with_the_status_and_the_fix()
    {
        await using var host = await Hosts.StartAsync();

        var error = await Assert.ThrowsAsync<WebSocketExpectationException>(() => host.ConnectAsync("/nowhere"));
        Assert.Contains("404", error.Message);
        Assert.Contains("TryConnectAsync", error.Message);
    }

    [Fact]
    public async Task An_origin_that_is_not_allowed_is_a_403_result()
    {
        await using var host = await Hosts.StartAsync(builder => builder.ConfigureWebSockets(options => options.AllowedOrigins.Add("https://good.example")));

        var refused = await host.TryConnectAsync("/t/echo", options => options.WithHeader("Origin", "https://evil.example"));
        var accepted = await host.TryConnectAsync("/t/echo", options => options.WithHeader("Origin", "https://good.example"));

        Assert.Equal(403, refused.StatusCode);
        Assert.True(accepted.IsAccepted);
        Assert.Equal(101, accepted.StatusCode);
    }

    [Fact]
    public async Task The_user_principal_reaches_the_session()
    {
        await using var host = await Hosts.StartAsync(builder => builder.AddEndpoint<WhoAmIEndpoint>());
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ann")], "test"));

        var client = await host.ConnectAsync("/t/whoami", options => options.User = user);

        await client.ExpectTextAsync("ann");
    }

    [Fact]
    public async Task A_service_can_be_overridden()
    {
        await using var host = await Hosts.StartAsync(builder => builder.ConfigureServices(services => services.AddSingleton<IGreeting, LoudGreeting>()));
        var client = await host.ConnectAsync("/t/di");

        await client.SendTextAsync("ann");

        await client.ExpectTextAsync("HI ANN");
    }

    private sealed class LoudGreeting : IGreeting
    {
        public string Greet(string who) => $"HI {who.ToUpperInvariant()}";
    }
}

[ServerEndpoint("/t/whoami")]
public sealed class WhoAmIEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync(session.User?.Identity?.Name ?? "anonymous");
}
