using Annotated.WebSockets.Tests.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>
/// Sharded pub/sub against a real 3-primary Redis Cluster started for this class: a room's messages go through the
/// one shard that owns its channel, and no node subscribes classic (cluster-wide) channels.
/// </summary>
public sealed class RedisClusterBackplaneTests(RedisClusterFixture fixture) : IClassFixture<RedisClusterFixture>, IAsyncLifetime
{
    private readonly string _prefix = $"shard-{Guid.NewGuid():N}";
    private readonly List<TestNode> _nodes = [];
    private readonly List<TestClient> _clients = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Group_messages_counts_and_remote_adds_go_through_the_shard_that_owns_the_channel()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var a1 = await ConnectAsync(a);
        var b1 = await ConnectAsync(b);
        var b2 = await ConnectAsync(b);
        Assert.Equal("ok|join|Changed", await a1.AskAsync("join|sharded-room"));
        Assert.Equal("ok|join|Changed", await b1.AskAsync("join|sharded-room"));

        Assert.Equal("ok|sent", await a1.AskAsync("except|sharded-room|through one shard"));
        Assert.Equal("through one shard", await b1.ReceiveAsync());
        Assert.Equal("ok|count|2", await a1.AskAsync("count|sharded-room"));
        Assert.Equal("ok|add|Changed", await a1.AskAsync($"add|{b2.SessionId}|sharded-room"));
        Assert.Equal("ok|count|3", await b1.AskAsync("count|sharded-room"));

        var channel = $"{_prefix}:group:sharded-room";
        var owner = fixture.Cluster.GetNodeForChannel(channel);
        foreach (var node in fixture.Cluster.Nodes)
        {
            var sharded = await node.Commands.PubSubShardChannelsAsync($"{_prefix}:*");
            Assert.Equal(node == owner, sharded.Contains(channel));
            Assert.Empty(await node.Commands.PubSubChannelsAsync($"{_prefix}:*"));   // nothing classic, so nothing cluster-wide
        }

        Assert.Equal(2, await owner.Commands.PubSubShardNumSubAsync(channel));
    }

    private async Task<TestNode> StartNodeAsync()
    {
        var node = await TestNode.StartAsync(builder => builder.AddRedisBackplane(fixture.Cluster.ConnectionString, options =>
        {
            options.ChannelPrefix = _prefix;
            options.UseShardedPubSub = true;
        }));
        _nodes.Add(node);
        var backplane = node.Host.App.Services.GetRequiredService<RedisBackplane>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!backplane.IsConnected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The node did not connect to the cluster: {backplane.Problem}");
            await Task.Delay(20);
        }

        return node;
    }

    private async Task<TestClient> ConnectAsync(TestNode node)
    {
        var client = await node.ConnectAsync();
        _clients.Add(client);
        return client;
    }
}
