using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>Programmatic endpoints, IServerContainer.AddEndpoint (before and after start) and UpgradeHttpToWebSocketAsync.</summary>
public class ProgrammaticEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private KestrelHost _host = null!;

    private static ServerEndpointConfig ProgrammaticConfig(string path) =>
        new(typeof(ProgrammaticEchoEndpoint), path, services => new ProgrammaticEchoEndpoint(services.GetRequiredService<Greeting>()));

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync(
        map: app =>
        {
            var container = app.Services.GetRequiredService<IServerContainer>();
            container.AddEndpoint(ProgrammaticConfig("/it/prog/{test}"));
            var upgradeConfig = ProgrammaticConfig("/custom/prog");
            var annotatedConfig = new ServerEndpointConfig(typeof(EchoEndpoint), "/it/echo/{test}");
            app.MapGet("/custom/prog/{test}", context =>
                container.UpgradeHttpToWebSocketAsync(context, upgradeConfig, new Dictionary<string, string> { ["test"] = (string)context.GetRouteValue("test")! }));
            app.MapGet("/custom/echo/{test}", context =>
                container.UpgradeHttpToWebSocketAsync(context, annotatedConfig, new Dictionary<string, string> { ["test"] = (string)context.GetRouteValue("test")! }));
        },
        services: services => services.AddSingleton(new Greeting { Prefix = "hi " }));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Message_handlers_of_a_programmatic_endpoint_take_text_partial_binary_and_pongs()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/prog/{test}");

        await client.SendTextAsync("you");
        Assert.Equal("hi you", await client.ReceiveTextAsync());   // constructor dependency from DI

        await client.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(new byte[] { 2 }, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("parts:2", await client.ReceiveTextAsync());

        await client.SendTextAsync("ping");
        Assert.Equal("pong:p1", await client.ReceiveTextAsync());

        await client.SendTextAsync("throw");
        Assert.Equal("error:FormatException", await Recorder.For(test).WaitForAsync("error:"));
        await client.SendTextAsync("still open");
        Assert.Equal("hi still open", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_second_handler_for_a_kind_is_rejected_and_a_replaced_handler_takes_the_next_message()
    {
        using var client = await _host.ConnectAsync($"/it/prog/{Recorder.NewTestId()}");

        await client.SendTextAsync("dup");
        Assert.Equal("dup-rejected:True:3", await client.ReceiveTextAsync());

        await client.SendTextAsync("stream");
        Assert.Equal("swapped:3", await client.ReceiveTextAsync());
        await client.SendAsync(Encoding.UTF8.GetBytes("abc"), WebSocketMessageType.Text, false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes("de"), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("streamed:5", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AddEndpoint_works_after_the_application_started_and_rejects_bad_or_duplicate_paths()
    {
        var container = _host.App.Services.GetRequiredService<IServerContainer>();

        container.AddEndpoint(ProgrammaticConfig("/it/late/{test}"));
        Assert.Throws<DeploymentException>(() => container.AddEndpoint(ProgrammaticConfig("/it/late/{other}")));
        Assert.Throws<DeploymentException>(() => container.AddEndpoint(ProgrammaticConfig("no-slash")));
        Assert.Throws<DeploymentException>(() => container.AddEndpoint(new ServerEndpointConfig(typeof(string), "/it/not-an-endpoint")));

        using var client = await _host.ConnectAsync($"/it/late/{Recorder.NewTestId()}");
        await client.SendTextAsync("late");
        Assert.Equal("hi late", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task UpgradeHttpToWebSocketAsync_serves_programmatic_and_annotated_endpoints_from_any_handler()
    {
        using var programmatic = await _host.ConnectAsync($"/custom/prog/{Recorder.NewTestId()}");
        await programmatic.SendTextAsync("there");
        Assert.Equal("hi there", await programmatic.ReceiveTextAsync());

        var test = Recorder.NewTestId();
        using var annotated = await _host.ConnectAsync($"/custom/echo/{test}");
        await annotated.SendTextAsync("echo");
        Assert.Equal("echo", await annotated.ReceiveTextAsync());
        Assert.Equal("text:echo", await Recorder.For(test).WaitForAsync("text:"));
    }
}
