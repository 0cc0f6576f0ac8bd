using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Annotated.WebSockets.Redis.Tests.Infrastructure;
using Annotated.WebSockets.Tests.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>
/// The Redis backplane against real <c>redis-server</c> processes: order over three nodes, batching (fewer publishes than
/// messages, with and without waiting for each), what it costs Redis in subscriptions, an outage and the return of
/// Redis, foreign envelopes and batches, start-up without Redis, oversized messages.
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_senders_to_one_group_each_get_their_messages_to_the_other_node_complete_and_in_order(bool waitForPublish)
    {
        var a = await StartNodeAsync(configure: options => options.WaitForPublish = waitForPublish);
        var b = await StartNodeAsync(configure: options => options.WaitForPublish = waitForPublish);
        var member = await ConnectAsync(b);
        Assert.Equal("ok|join|Changed", await member.AskAsync("join|batched"));
        var senders = new List<TestClient>();
        for (var i = 0; i < 8; i++)
        {
            senders.Add(await ConnectAsync(a));
        }

        // Senders that wait for each publish get one PUBLISH per message, pipelined; senders that do not get batches: a
        // message alone while nothing is in flight and the next messages together behind it.
        const int PerSender = 200;
        var total = senders.Count * PerSender;
        await _redis.Commands.ConfigResetStatAsync();
        var sends = senders.Select(sender => sender.AskAsync($"tagged|batched|{PerSender}")).ToArray();
        var next = senders.ToDictionary(static sender => sender.SessionId, static _ => 0);
        for (var received = 0; received < total; received++)
        {
            var (sessionId, number) = Split(await member.ReceiveAsync());
            Assert.Equal(next[sessionId]++, number);
        }

        Assert.All(await Task.WhenAll(sends).WaitAsync(TimeSpan.FromMinutes(1)), static answer => Assert.Equal("ok|sent", answer));
        Assert.All(next.Values, static count => Assert.Equal(PerSender, count));
        var publishes = (await _redis.Commands.InfoCommandStatsAsync()).GetValueOrDefault("publish");
        if (waitForPublish)
        {
            Assert.Equal(total, publishes);
        }
        else
        {
            Assert.True(publishes <= total / 2, $"{publishes} PUBLISH calls for {total} messages from {senders.Count} concurrent senders: the messages sent while a publish was in flight did not go together");
        }

        Assert.Equal(0, Backplane(b).GapsDetected);
        Assert.Equal(0, Backplane(a).PublishFailures);

        static (string SessionId, int Number) Split(string text)
        {
            var colon = text.LastIndexOf(':');
            return (text[..colon], int.Parse(text[(colon + 1)..], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Without_waiting_for_each_publish_one_senders_messages_arrive_complete_and_in_order_in_fewer_publishes()
    {
        var a = await StartNodeAsync(configure: static options => options.WaitForPublish = false);
        var b = await StartNodeAsync(configure: static options => options.WaitForPublish = false);
        var member = await ConnectAsync(b);
        Assert.Equal("ok|join|Changed", await member.AskAsync("join|no-wait"));
        var sender = await ConnectAsync(a);

        // Each send returns once its message is queued: the loop fills full batches of 256 (about 10 PUBLISH calls here).
        const int Count = 2000;
        await _redis.Commands.ConfigResetStatAsync();
        Assert.Equal("ok|sent", await sender.AskAsync($"burst|no-wait|{Count}"));
        for (var expected = 0; expected < Count; expected++)
        {
            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), await member.ReceiveAsync());
        }

        var publishes = (await _redis.Commands.InfoCommandStatsAsync()).GetValueOrDefault("publish");
        Assert.True(publishes <= Count / 2, $"{publishes} PUBLISH calls for {Count} messages from one sender that does not wait for each publish");
        Assert.Equal(0, Backplane(b).GapsDetected);
        Assert.Equal(0, Backplane(a).PublishFailures);
    }

    [Fact]
    public async Task Without_waiting_for_each_publish_a_send_while_Redis_is_down_still_fails_at_once_and_local_members_receive()
    {
        var a = await StartNodeAsync(configure: static options => options.WaitForPublish = false);
        var a1 = await ConnectAsync(a);
        var a2 = await ConnectAsync(a);
        await a1.AskAsync("join|no-wait-outage");
        await a2.AskAsync("join|no-wait-outage");

        var answer = await StopRedisAndSendAsync(a, a1, a2, "no-wait-outage");
        Assert.StartsWith("failed|WebSocketBackplaneException|Redis is not reachable", answer, StringComparison.Ordinal);
        Assert.True(Backplane(a).PublishFailures >= 1);
    }

    [Fact]
    public async Task A_batch_delivers_its_messages_for_the_channel_in_order_and_a_missed_batch_counts_as_many_gaps_as_it_had_messages()
    {
        var node = await StartNodeAsync();
        var member = await ConnectAsync(node);
        Assert.Equal("ok|join|Changed", await member.AskAsync("join|forged"));
        var channel = $"{_prefix}:group:forged";

        // As another node would publish them: 1 alone, 2–4 in a batch (3 for another group, on this channel by mistake),
        // 5–7 in a batch that never comes, 8 alone, 9–10 in a batch, a batch of none, 11 alone.
        await PublishAsync(channel, Message("one"), 1);
        await PublishAsync(channel, RedisEnvelope.EncodeBatch("forger", 2, [Message("two"), Message("elsewhere", group: "other"), Message("four")]));
        await PublishAsync(channel, Message("eight"), 8);
        await PublishAsync(channel, RedisEnvelope.EncodeBatch("forger", 9, [Message("nine"), Message("ten")]));
        var empty = RedisEnvelope.EncodeBatch("forger", 11, [Message("lost")]);
        empty[RedisEnvelope.HeaderSize("forger")] = 0;
        await PublishAsync(channel, empty);
        await PublishAsync(channel, Message("eleven"), 11);

        foreach (var expected in new[] { "one", "two", "four", "eight", "nine", "ten", "eleven" })
        {
            Assert.Equal(expected, await member.ReceiveAsync());
        }

        await member.ExpectNothingMoreAsync();
        Assert.Equal(3, Backplane(node).GapsDetected);
        Assert.Equal(1, Backplane(node).MalformedEnvelopes);

        static byte[] Message(string text, string group = "forged") =>
            new RedisEnvelope(EnvelopeType.Message, "forger", 0, BackplaneTargetKind.Group, group, [], MessageKind.Text, Encoding.UTF8.GetBytes(text)).Encode();
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

        var answer = await StopRedisAndSendAsync(a, a1, a2, "outage");
        Assert.StartsWith("failed|WebSocketBackplaneException|", answer, StringComparison.Ordinal);
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

    // Stops Redis, then sender sends "during" to the group's other members: the local member gets it, and the sender's
    // answer (returned) comes at once, since the sender learns at once that the other nodes did not.
    private async Task<string> StopRedisAndSendAsync(TestNode node, TestClient sender, TestClient local, string group)
    {
        await _redis.StopAsync();
        await WaitUntilAsync(() => !Backplane(node).IsConnected);

        var watch = Stopwatch.StartNew();
        var answer = await sender.AskAsync($"except|{group}|during");
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"the failed publish took {watch.Elapsed}");
        Assert.Equal("during", await local.ReceiveAsync());
        return answer;
    }

    private async Task PublishAsync(string channel, byte[] envelope, ulong? sequence = null)
    {
        if (sequence is { } number)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(envelope.AsSpan(RedisEnvelope.SequenceOffset), number);
        }

        Assert.Equal(1, (await _redis.Commands.ExecuteBinaryAsync("PUBLISH"u8.ToArray(), Encoding.UTF8.GetBytes(channel), envelope)).AsInteger());
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
