using Xunit.Abstractions;

namespace Annotated.WebSockets.Redis.Tests.Infrastructure;

/// <summary>The cluster fixture against three real redis-server nodes, through the raw RESP client only.</summary>
public class RedisClusterTests(RedisClusterFixture fixture, ITestOutputHelper output) : IClassFixture<RedisClusterFixture>
{
    private RedisCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Created_EveryNodeReportsOk_WithEverySlotAssigned()
    {
        output.WriteLine($"Cluster started and created in {fixture.StartupTime.TotalMilliseconds:0} ms.");

        Assert.Equal(3, Cluster.Nodes.Count);
        Assert.Equal(string.Join(",", Cluster.Nodes.Select(n => $"127.0.0.1:{n.Port}")), Cluster.ConnectionString);
        foreach (var node in Cluster.Nodes)
        {
            var info = await node.Commands.ClusterInfoAsync();
            Assert.Equal("ok", info["cluster_state"]);
            Assert.Equal("16384", info["cluster_slots_assigned"]);
            Assert.Equal("3", info["cluster_known_nodes"]);
        }
    }

    [Theory]
    [InlineData("news")]
    [InlineData("annotated:group:lobby")]
    [InlineData("{user1000}.following")]
    [InlineData("{user1000}.followers")]
    [InlineData("foo{}{bar}")]
    [InlineData("foo{{bar}}zap")]
    [InlineData("foo{bar}{zap}")]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("groupé✓")]
    public async Task GetSlot_AgreesWithTheServer(string key)
    {
        Assert.Equal(await Cluster.Nodes[0].Commands.ClusterKeySlotAsync(key), RedisCluster.GetSlot(key));
    }

    [Fact]
    public async Task ShardSubscribe_OnTheOwningNode_ReceivesShardPublish_AndShardNumSubCountsIt()
    {
        const string channel = "cluster-smoke:shard";
        var owner = Cluster.GetNodeForChannel(channel);
        await using var subscriber = await owner.ConnectAsync();

        Assert.Equal("[\"ssubscribe\", \"cluster-smoke:shard\", (integer) 1]", (await subscriber.ExecuteAsync("SSUBSCRIBE", channel)).ToString());
        Assert.Equal(1, await owner.Commands.PubSubShardNumSubAsync(channel));
        Assert.Contains(channel, await owner.Commands.PubSubShardChannelsAsync());
        Assert.Equal(1, await owner.Commands.ShardPublishAsync(channel, "hello"));

        var message = await subscriber.ReadReplyAsync();
        Assert.Equal(["smessage", channel, "hello"], message.AsArray().Select(r => r.AsString()));
        Assert.Equal(1, (await owner.Commands.InfoCommandStatsAsync())["ssubscribe"]);

        var other = Cluster.Nodes.First(n => n != owner);
        var moved = await other.Commands.ExecuteAsync("SPUBLISH", channel, "elsewhere");
        Assert.True(moved.IsError);
        Assert.StartsWith($"MOVED {RedisCluster.GetSlot(channel)} 127.0.0.1:{owner.Port}", moved.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_OnOneNode_ReachesASubscriberOnAnother()
    {
        await using var subscriber = await Cluster.Nodes[2].ConnectAsync();
        await subscriber.ExecuteAsync("SUBSCRIBE", "cluster-smoke:broadcast");

        // PUBLISH counts only the receivers on the node it was sent to; the cluster bus carries it to the others.
        Assert.Equal(0, await Cluster.Nodes[0].Commands.PublishAsync("cluster-smoke:broadcast", "hello"));

        Assert.Equal("hello", (await subscriber.ReadReplyAsync())[2].AsString());
    }
}
