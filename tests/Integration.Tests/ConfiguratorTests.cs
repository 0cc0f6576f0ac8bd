using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>ServerEndpointConfigurator over real Kestrel: call order, handshake request and response, per-connection user properties.</summary>
public class ConfiguratorTests : IAsyncLifetime
{
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_configurator_runs_in_Jakarta_order_and_sees_the_request()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/handshake/{test}?q=1&q=2", options =>
        {
            options.SetRequestHeader("Origin", test);
            options.SetRequestHeader("X-Custom", "abc");
            options.CollectHttpResponseDetails = true;
        });

        Assert.Equal("props:abc", await client.ReceiveTextAsync());
        Assert.Equal(["yes"], client.HttpResponseHeaders!["X-Reply"]);
        Assert.NotEqual(["must-not-replace"], client.HttpResponseHeaders!["Sec-WebSocket-Accept"]);
        await Recorder.For(test).WaitForAsync("open:");
        Assert.Equal(
            ["origin", "modify", "header:abc", "query:q=1&q=2:1,2", $"uri:/it/handshake/{test}:True:False:True", "leaked:False:False", "open:True:True"],
            Recorder.For(test).Entries);
    }

    [Fact]
    public async Task Each_connection_starts_from_the_deployed_user_properties()
    {
        var first = Recorder.NewTestId();
        using (var client = await _host.ConnectAsync($"/it/handshake/{first}", o => o.SetRequestHeader("X-Custom", "one")))
        {
            Assert.Equal("props:one", await client.ReceiveTextAsync());
        }

        var second = Recorder.NewTestId();
        using var other = await _host.ConnectAsync($"/it/handshake/{second}");

        Assert.Equal("props:none", await other.ReceiveTextAsync());
        Assert.Equal("leaked:False:False", await Recorder.For(second).WaitForAsync("leaked:"));
        // One configurator instance serves every connection of the deployed endpoint.
        Assert.Same(RecordingConfigurator.ServedTest(first), RecordingConfigurator.ServedTest(second));
    }

    [Fact]
    public async Task A_failed_origin_check_is_refused_with_403()
    {
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Origin", "forbidden");
        client.Options.CollectHttpResponseDetails = true;

        await Assert.ThrowsAnyAsync<WebSocketException>(() => client.ConnectAsync(_host.WebSocketUri("/it/handshake/x"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(HttpStatusCode.Forbidden, client.HttpStatusCode);
    }

    [Fact]
    public async Task An_endpoint_instance_that_cannot_be_made_after_the_101_closes_with_1011()
    {
        using var client = await _host.ConnectAsync("/it/no-instance");

        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
    }
}
