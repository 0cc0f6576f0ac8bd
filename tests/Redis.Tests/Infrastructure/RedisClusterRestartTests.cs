using System.Diagnostics;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Annotated.WebSockets.Redis.Tests.Infrastructure;

/// <summary>A cluster node stopped and started again (its own cluster: stopping a node would disturb a shared one).</summary>
public class RedisClusterRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StoppedNode_StartedAgain_RejoinsWithItsSlots_AndServesShardPubSub()
    {
        await using var cluster = await RedisCluster.StartAsync();
        const string channel = "cluster-smoke:restart";
        var owner = cluster.GetNodeForChannel(channel);
        int port = owner.Port;

        await owner.StopAsync();
        await Assert.ThrowsAsync<SocketException>(() => owner.Commands.PingAsync());
        var elapsed = Stopwatch.StartNew();
        await owner.StartAgainAsync();
        await cluster.WaitUntilOkAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"Restarted node back to cluster_state:ok in {elapsed.ElapsedMilliseconds} ms.");

        Assert.Equal(port, owner.Port);
        await cluster.RefreshSlotMapAsync();
        Assert.Same(owner, cluster.GetNodeForChannel(channel));
        await using var subscriber = await owner.ConnectAsync();
        await subscriber.ExecuteAsync("SSUBSCRIBE", channel);
        Assert.Equal(1, await owner.Commands.ShardPublishAsync(channel, "back"));
        Assert.Equal("back", (await subscriber.ReadReplyAsync())[2].AsString());
    }
}
