using System.Diagnostics;
using System.Globalization;
using Annotated.WebSockets.Redis.Tests.Infrastructure;
using Annotated.WebSockets.Tests.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>
/// The Redis backplane against real <c>redis-server</c> processes: order over three nodes, what it costs Redis in
/// subscriptions, an outage and the return of Redis, foreign envelopes, start-up without Redis, oversized messages.
/// </summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private readonly string _prefix = $"t-{Guid.NewGuid():N}";
    private readonly List<TestNode> _nodes = [];
    private readonly List<TestClient> _clients = [];
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

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

        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Ten_thousand_numbered_messages_from_one_sender_arrive_complete_and_in_order_on_three_nodes()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var c = await StartNodeAsync();
        var members = new[] { await ConnectAsync(a), await ConnectAsync(b), await ConnectAsync(c), await ConnectAsync(c) };
        foreach (var member in members)
        {
            Assert.Equal("ok|join|Changed", await member.AskAsync("join|ordered"));
        }

        var sender = await ConnectAsync(a);
        const int Count = 10_000;
        var readers = members.Select(member => Task.Run(async () =>
        {
            for (var expected = 0; expected < Count; expected++)
            {
                Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), await member.ReceiveAsync());
            }
        })).ToArray();

        // Each send waits for Redis to take its publish, so the burst's answer comes after it all (not within a receive's 10 s).
        await sender.Socket.SendTextAsync($"burst|ordered|{Count}");
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal("ok|sent", await sender.ReceiveAsync());
        Assert.All(_nodes, node => Assert.Equal(0, Backplane(node).GapsDetected));
    }

    [Fact]
    public async Task Sessions_that_join_no_group_cost_no_subscription_and_a_thousand_in_one_room_cost_one()
    {
        FileDescriptorLimit.Require(8192);
        var node = await StartNodeAsync();
        await _redis.Commands.ConfigResetStatAsync();

        var clients = new List<TestClient>();
        for (var i = 0; i < 1000; i++)
        {
            clients.Add(await ConnectAsync(node));
        }

        Assert.Equal(0, Subscribes(await _redis.Commands.InfoCommandStatsAsync()));

        foreach (var client in clients)
        {
            Assert.Equal("ok|join|Changed", await client.AskAsync("join|big-room"));
        }

        Assert.Equal(1, Subscribes(await _redis.Commands.InfoCommandStatsAsync()));
        var channels = await _redis.Commands.PubSubChannelsAsync($"{_prefix}:*");
        Assert.Equal(
            new[] { $"{_prefix}:all", $"{_prefix}:group:big-room", $"{_prefix}:node:{Backplane(node).NodeId}" },
            channels.Order(StringComparer.Ordinal).ToArray());

        static long Subscribes(IReadOnlyDictionary<string, long> stats) => stats.GetValueOrDefault("subscribe") + stats.GetValueOrDefault("ssubscribe");
    }

    [Fact]
    public async Task While_Redis_is_down_local_members_keep_receiving_publishes_fail_fast_and_health_is_degraded_then_delivery_resumes()
    {
        var a = await StartNodeAsync();
        var b = await StartNodeAsync();
        var a1 = await ConnectAsync(a);
        var a2 = await ConnectAsync(a);
        var b1 = await ConnectAsync(b);
        foreach (var member in new[] { a1, a2, b1 })
        {
            await member.AskAsync("join|outage");
        }

        Assert.Equal("ok|sent", await a1.AskAsync("except|outage|before"));
        Assert.Equal("before", await a2.ReceiveAsync());
        Assert.Equal("before", await b1.ReceiveAsync());
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(a)).Status);

        await _redis.StopAsync();
        await WaitUntilAsync(() => !Backplane(a).IsConnected);

        // The local member gets it; the sender learns at once that the other nodes did not.
        var watch = Stopwatch.StartNew();
        var answer = await a1.AskAsync("except|outage|during");
        watch.Stop();
        Assert.StartsWith("failed|WebSocketBackplaneException|", answer, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the failed publish took {watch.Elapsed}");
        Assert.Equal("during", await a2.ReceiveAsync());
        var report = await HealthAsync(a);
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Contains("cannot reach Redis", report.Entries.Single().Value.Description, StringComparison.Ordinal);

        await _redis.StartAgainAsync();
        await WaitUntilAsync(() => Backplane(a).IsConnected && Backplane(b).IsConnected, TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, (await HealthAsync(a)).Status);

        Assert.Equal("ok|sent", await a1.AskAsync("except|outage|after"));
        Assert.Equal("after", await a2.ReceiveAsync());
        Assert.Equal("after", await b1.ReceiveAsync());   // "during" never reached b1: "after" is its next message
        Assert.True(Backplane(b).GapsDetected >= 1, "the message lost during the outage shows as a gap on the receiving node");
        Assert.True(Backplane(a).PublishFailures >= 1);
    }

    [Fact]
    public async Task A_subscription_that_goes_silent_is_found_by_the_probe_and_renewed_and_the_loss_is_counted()
    {
        await using var proxy = new FreezingProxy(_redis.Port);
        var a = await StartNodeAsync();
        var b = await StartNodeAsync(proxy.ConnectionString, configure: options =>
        {
            options.ProbeInterval = TimeSpan.FromMilliseconds(300);
            options.PublishTimeout = TimeSpan.FromSeconds(1);
        });
        var a1 = await ConnectAsync(a);
        var b1 = await ConnectAsync(b);
        await a1.AskAsync("join|silent");
        await b1.AskAsync("join|silent");
        Assert.Equal("ok|sent", await a1.AskAsync("except|silent|before"));
        Assert.Equal("before", await b1.ReceiveAsync());

        Assert.True(proxy.FreezeSubscribers() >= 1);
        Assert.Equal("ok|sent", await a1.AskAsync("except|silent|lost"));   // Redis takes it; b's dead connection never passes it on

        await WaitUntilAsync(() => Backplane(b).SubscriptionRenewals >= 1 && Backplane(b).IsConnected, TimeSpan.FromSeconds(20));
        Assert.Equal("ok|sent", await a1.AskAsync("except|silent|after"));
        Assert.Equal("after", await b1.ReceiveAsync());   // "lost" never came: "after" is the next message
        Assert.Equal(1, Backplane(b).GapsDetected);
    }

    [Fact]
    public async Task A_foreign_or_corrupt_message_on_a_channel_is_counted_and_ignored()
    {
        var node = await StartNodeAsync();
        var client = await ConnectAsync(node);
        await client.AskAsync("join|foreign");

        Assert.Equal(1, await _redis.Commands.PublishAsync($"{_prefix}:group:foreign", "not an envelope"));
        Assert.Equal(1, await _redis.Commands.PublishAsync($"{_prefix}:all", "AW\u0001\u0001garbage"));
        await WaitUntilAsync(() => Backplane(node).MalformedEnvelopes == 2);

        Assert.Equal("ok|count|1", await client.AskAsync("count|foreign"));
    }

    [Fact]
    public async Task Without_Redis_at_start_up_the_node_starts_serves_its_own_sessions_and_reports_the_problem()
    {
        var closedPort = RedisPorts.Reserve();
        var node = await StartNodeAsync($"127.0.0.1:{closedPort},connectTimeout=500", waitUntilConnected: false);
        var a1 = await ConnectAsync(node);
        var a2 = await ConnectAsync(node);
        await a1.AskAsync("join|alone");
        await a2.AskAsync("join|alone");

        var answer = await a1.AskAsync("except|alone|still here");
        Assert.StartsWith("failed|WebSocketBackplaneException|", answer, StringComparison.Ordinal);
        Assert.Equal("still here", await a2.ReceiveAsync());
        Assert.False(Backplane(node).IsConnected);
        Assert.Equal(HealthStatus.Degraded, (await HealthAsync(node)).Status);
    }

    [Fact]
    public async Task An_invalid_configuration_starts_the_node_alone_and_says_why_unless_start_up_must_fail()
    {
        var node = await StartNodeAsync("127.0.0.1:6379,unknownOption=1", waitUntilConnected: false);
        await WaitUntilAsync(() => Backplane(node).Problem?.Contains("is not valid", StringComparison.Ordinal) == true);
        Assert.Equal(HealthStatus.Degraded, (await HealthAsync(node)).Status);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestNode.StartAsync(builder =>
            builder.AddRedisBackplane($"127.0.0.1:{RedisPorts.Reserve()},connectTimeout=500", options => options.FailStartupWhenUnreachable = true)));
        Assert.Contains("could not connect at start-up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_larger_than_the_backplane_carries_is_refused_before_anyone_gets_it()
    {
        var node = await StartNodeAsync(configure: options => options.MaxMessageSize = 1024);
        var a1 = await ConnectAsync(node);
        var a2 = await ConnectAsync(node);
        await a1.AskAsync("join|limits");
        await a2.AskAsync("join|limits");

        var answer = await a1.AskAsync($"group|limits|{new string('x', 1025)}");
        Assert.StartsWith("failed|ArgumentException|The message has 1025 bytes; the backplane carries at most 1024", answer, StringComparison.Ordinal);
        Assert.Equal("ok|sent", await a1.AskAsync("except|limits|small"));
        Assert.Equal("small", await a2.ReceiveAsync());
    }

    private static RedisBackplane Backplane(TestNode node) => node.Host.App.Services.GetRequiredService<RedisBackplane>();

    private static Task<HealthReport> HealthAsync(TestNode node) =>
        node.Host.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }

    private async Task<TestNode> StartNodeAsync(string? configuration = null, bool waitUntilConnected = true, Action<RedisBackplaneOptions>? configure = null)
    {
        var node = await TestNode.StartAsync(builder =>
        {
            builder.AddRedisBackplane(configuration ?? _redis.ConnectionString, options =>
            {
                options.ChannelPrefix = _prefix;
                configure?.Invoke(options);
            });
            builder.Services.AddHealthChecks().AddRedisBackplaneCheck();
        });
        _nodes.Add(node);
        if (waitUntilConnected)
        {
            await WaitUntilAsync(() => Backplane(node).IsConnected);
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
