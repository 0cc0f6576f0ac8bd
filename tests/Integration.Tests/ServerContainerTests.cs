using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary><see cref="IServerContainer"/> used directly from an ordinary route.</summary>
public class ServerContainerTests
{
    [Fact]
    public async Task A_route_can_upgrade_a_request_to_a_generated_endpoint()
    {
        var test = Recorder.NewTestId();
        await using var host = await KestrelHost.StartAsync(map: app =>
            app.Map("/manual/{test}", (HttpContext context, string test, IServerContainer container) =>
                container.UpgradeHttpToWebSocketAsync(
                    context,
                    new ServerEndpointConfig(typeof(EchoEndpoint), "/manual/{test}"),
                    new Dictionary<string, string> { ["test"] = test })));

        using var client = await host.ConnectAsync($"/manual/{test}");
        await client.SendTextAsync("direct");

        Assert.Equal("direct", await client.ReceiveTextAsync());
        Assert.Equal(["open", "text:direct"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task An_annotated_class_already_mapped_is_deployed_once_when_added_again()
    {
        var test = Recorder.NewTestId();
        await using var host = await KestrelHost.StartAsync();
        var container = host.App.Services.GetRequiredService<IServerContainer>();

        container.AddEndpoint(typeof(EchoEndpoint));   // mapped already by MapAnnotatedWebSockets (§6.4)
        container.AddEndpoint(typeof(EchoEndpoint));

        using var client = await host.ConnectAsync($"/it/echo/{test}");
        await client.SendTextAsync("once");
        Assert.Equal("once", await client.ReceiveTextAsync());
        Assert.Equal(["open", "text:once"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task The_container_is_one_singleton()
    {
        await using var host = await KestrelHost.StartAsync();

        Assert.Same(host.App.Services.GetRequiredService<IServerContainer>(), host.App.Services.GetRequiredService<IServerContainer>());
    }

    [Fact]
    public async Task A_class_that_is_not_an_endpoint_cannot_be_upgraded_to()
    {
        await using var host = await KestrelHost.StartAsync();
        var container = host.App.Services.GetRequiredService<IServerContainer>();

        await Assert.ThrowsAsync<DeploymentException>(() => container.UpgradeHttpToWebSocketAsync(
            new DefaultHttpContext(), new ServerEndpointConfig(typeof(string), "/nope"), new Dictionary<string, string>()));
    }
}
