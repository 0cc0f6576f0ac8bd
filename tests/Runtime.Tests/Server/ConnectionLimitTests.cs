using System.Net;
using System.Net.WebSockets;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>MaxConcurrentConnections and MaxConcurrentConnectionsPerEndpoint: a full server answers 503 before any upgrade.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Upgrades_past_the_endpoint_or_global_limit_get_503_and_a_closed_connection_frees_its_place()
    {
        var first = new ScriptedEndpoint();
        var second = new ScriptedEndpoint();
        var third = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync(
            [first.ToDefinition("/limits/first"), second.ToDefinition("/limits/second"), third.ToDefinition("/limits/third")],
            options =>
            {
                options.MaxConcurrentConnections = 2;
                options.MaxConcurrentConnectionsPerEndpoint = 1;
            });

        using var a = await host.ConnectAsync("/limits/first");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusedStatusAsync(host, "/limits/first"));   // per endpoint
        using var b = await host.ConnectAsync("/limits/second");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await RefusedStatusAsync(host, "/limits/third"));   // global
        Assert.Equal(0, third.InstancesCreated);

        await a.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        await first.Log.WaitForAsync("close:");
        using var again = await ConnectWhenFreeAsync(host, "/limits/third");
        await again.SendTextAsync("in");
        Assert.Equal("in", await again.ReceiveTextAsync());
    }

    private static async Task<HttpStatusCode> RefusedStatusAsync(KestrelHost host, string path)
    {
        using var client = new ClientWebSocket();
        client.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(host.WebSocketUri(path), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        return client.HttpStatusCode;
    }

    // The place is released when the server's connection has fully ended, just after OnClose: retry briefly.
    private static async Task<ClientWebSocket> ConnectWhenFreeAsync(KestrelHost host, string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                return await host.ConnectAsync(path);
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }
    }
}
