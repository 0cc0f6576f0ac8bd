using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Runtime.Tests.Sessions;
using Annotated.WebSockets.Sessions;
using static Annotated.WebSockets.Runtime.Tests.Sessions.SendQueueHarness;

namespace Annotated.WebSockets.Runtime.Tests.Rooms;

/// <summary>
/// Groups over real sessions (in-memory transports whose peers read only when told): membership and its limits,
/// leaving every group when closing (before OnClose), targeting (group, except, user, session, endpoint), order, a
/// member that reads nothing under both overflow policies, and encoding once per broadcast.
/// </summary>
public class WebSocketGroupsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_session_joins_and_leaves_groups_by_name_and_may_be_in_many()
    {
        var groups = NewGroups();
        await using var member = await StartAsync(groups);

        Assert.True(groups.Add(member.Session, "a"));
        Assert.True(groups.Add(member.Session, "b"));
        Assert.False(groups.Add(member.Session, "a"));
        Assert.Equal(["a", "b"], groups.GroupsOf(member.Session).Order());
        Assert.Equal(1, groups.CountLocal("a"));
        Assert.Same(member.Session, Assert.Single(groups.GetLocalMembers("b")));

        Assert.True(groups.Remove(member.Session, "a"));
        Assert.False(groups.Remove(member.Session, "a"));
        Assert.Equal(0, groups.CountLocal("a"));
        Assert.Equal(["b"], groups.GroupsOf(member.Session));
    }

    [Fact]
    public async Task Bad_names_and_too_many_groups_get_a_specific_answer()
    {
        var options = new WebSocketGroupOptions { MaxGroupsPerSession = 2, MaxGroupNameLength = 5 };
        var groups = new WebSocketGroups(options, new NameIdentifierUserIdProvider());
        await using var member = await StartAsync(groups);

        Assert.Throws<ArgumentException>(() => groups.Add(member.Session, ""));
        var tooLong = Assert.Throws<ArgumentException>(() => groups.Add(member.Session, "abcdef"));
        Assert.Contains("at most 5 characters", tooLong.Message, StringComparison.Ordinal);
        groups.Add(member.Session, "one");
        groups.Add(member.Session, "two");
        var tooMany = Assert.Throws<InvalidOperationException>(() => groups.Add(member.Session, "three"));
        Assert.Contains("MaxGroupsPerSession", tooMany.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxGroupsPerSession = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxGroupNameLength = 0);
    }

    [Fact]
    public async Task Sending_to_an_unknown_group_reaches_no_one_and_says_so()
    {
        var groups = NewGroups();
        await using var member = await StartAsync(groups);

        var result = await groups.SendToGroupAsync("nobody-here", "hello");

        Assert.Equal(new BroadcastResult(0, 0, 0), result);
        Assert.Equal(0, result.Recipients);
    }

    [Fact]
    public async Task A_closing_session_leaves_every_group_before_its_OnClose_so_a_broadcast_from_OnClose_skips_it()
    {
        var groups = NewGroups();
        await using var stays = await StartAsync(groups);
        var leavingEndpoint = new ScriptedEndpoint();
        BroadcastResult? fromOnClose = null;
        int? countSeenByOnClose = null;
        leavingEndpoint.OnClose = async (session, _) =>
        {
            countSeenByOnClose = groups.CountLocal("room");
            fromOnClose = await groups.SendToGroupAsync("room", "bye");
        };
        var leaving = Start(leavingEndpoint, Settings(), 1024 * 1024, groups: groups);
        await leavingEndpoint.Log.WaitForAsync("open");
        groups.Add(stays.Session, "room");
        groups.Add(leaving.Session, "room");
        groups.Add(leaving.Session, "other");

        await leaving.Peer.SendCloseAsync(1000);
        await leaving.Run.WaitAsync(Wait);

        Assert.Equal(1, countSeenByOnClose);
        Assert.Equal(new BroadcastResult(1, 0, 0), fromOnClose);
        Assert.Equal(0, groups.CountLocal("other"));
        Assert.Empty(groups.GroupsOf(leaving.Session));
        Assert.False(groups.Add(leaving.Session, "room"));   // a closed session joins nothing
        Assert.Equal("bye", Text(await stays.Peer.ReadFrameAsync()));
        await leaving.DisposeAsync();
    }

    [Fact]
    public async Task Except_user_session_and_endpoint_sends_reach_exactly_their_targets()
    {
        var groups = NewGroups();
        var alice = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "test"));
        await using var a = await StartAsync(groups, alice);
        await using var b = await StartAsync(groups, alice);
        await using var c = await StartAsync(groups);
        foreach (var member in new[] { a, b, c })
        {
            groups.Add(member.Session, "room");
        }

        Assert.Equal(new BroadcastResult(2, 0, 0), await groups.SendToGroupExceptAsync("room", PreparedMessage.FromText("not-a"), a.Session));
        Assert.Equal(new BroadcastResult(2, 0, 0), await groups.SendToUserAsync("alice", PreparedMessage.FromText("alice")));
        Assert.Equal(new BroadcastResult(1, 0, 0), await groups.SendToSessionAsync(c.Session.Id, PreparedMessage.FromText("only-c")));
        Assert.Equal(new BroadcastResult(3, 0, 0), await groups.SendToEndpointAsync("/sendqueue", PreparedMessage.FromText("all")));
        Assert.Equal(0, (await groups.SendToUserAsync("bob", PreparedMessage.FromText("x"))).Recipients);
        Assert.Equal(0, (await groups.SendToSessionAsync("no-such-id", PreparedMessage.FromText("x"))).Recipients);

        Assert.Equal(["alice", "all"], await ReadTextsAsync(a, 2));
        Assert.Equal(["not-a", "alice", "all"], await ReadTextsAsync(b, 3));
        Assert.Equal(["not-a", "only-c", "all"], await ReadTextsAsync(c, 3));
    }

    [Fact]
    public async Task Messages_of_one_sender_reach_each_member_in_the_order_they_were_sent()
    {
        var groups = NewGroups();
        var members = new List<SendQueueHarness>();
        for (var i = 0; i < 3; i++)
        {
            var member = await StartAsync(groups);
            groups.Add(member.Session, "room");
            members.Add(member);
        }

        try
        {
            var expected = Enumerable.Range(0, 200).Select(static i => $"m{i}").ToArray();
            foreach (var text in expected)
            {
                await groups.SendToGroupAsync("room", text);
            }

            foreach (var member in members)
            {
                Assert.Equal(expected, await ReadTextsAsync(member, expected.Length));
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_member_that_reads_nothing_delays_no_other_and_under_Drop_misses_what_does_not_fit()
    {
        var groups = NewGroups();
        groups.SetOverflowPolicy("room", GroupOverflowPolicy.Drop);
        // The stalled member's queue holds 4 messages and its transport about 1 KiB.
        await using var stalled = await StartAsync(groups, settings: Settings(maxMessages: 4), pauseThreshold: 1024);
        await using var reading = await StartAsync(groups, pauseThreshold: 1024 * 1024);
        groups.Add(stalled.Session, "room");
        groups.Add(reading.Session, "room");
        var payload = new string('x', 600);

        // 60 broadcasts of 602 bytes: more than the transport's deferred-flush allowance, the 1 KiB and the 4 places.
        var total = default(BroadcastResult);
        for (var i = 0; i < 60; i++)
        {
            total = total.Add(await groups.SendToGroupAsync("room", $"{i:D2}{payload}").AsTask().WaitAsync(Wait));
        }

        // Every broadcast completed while the stalled peer read nothing, and the reading member got all 60.
        Assert.Equal(120, total.Recipients);
        Assert.True(total.Dropped >= 10, $"dropped {total.Dropped}");
        Assert.Equal(120 - total.Dropped, total.Queued);
        var received = await ReadTextsAsync(reading, 60);
        Assert.Equal(Enumerable.Range(0, 60).Select(static i => $"{i:D2}"), received.Select(static text => text[..2]));
        Assert.True(stalled.Session.IsOpen);

        // What the stalled member did get is a prefix, in order.
        var got = await ReadTextsAsync(stalled, 60 - total.Dropped);
        Assert.Equal(Enumerable.Range(0, got.Count).Select(static i => $"{i:D2}"), got.Select(static text => text[..2]));
    }

    [Fact]
    public async Task Under_Close_a_member_that_reads_nothing_is_closed_by_the_send_queue_timeout_and_the_others_get_everything()
    {
        var groups = NewGroups();
        var clock = FakeClock.Create();
        var timeout = TimeSpan.FromSeconds(2);
        var stalledEndpoint = new ScriptedEndpoint();
        var stalled = Start(stalledEndpoint, Settings(maxMessages: 4, timeout: timeout, closeTimeout: TimeSpan.FromMilliseconds(100)), 1024, clock, groups);
        await stalledEndpoint.Log.WaitForAsync("open");
        await using var reading = await StartAsync(groups, pauseThreshold: 1024 * 1024);
        groups.Add(stalled.Session, "room");
        groups.Add(reading.Session, "room");
        var payload = new string('x', 600);

        for (var i = 0; i < 20; i++)
        {
            var result = await groups.SendToGroupAsync("room", $"{i:D2}{payload}").AsTask().WaitAsync(Wait);
            Assert.Equal(new BroadcastResult(2, 0, 0), result);
        }

        Assert.Equal(20, (await ReadTextsAsync(reading, 20)).Count);
        Assert.True(stalled.Session.IsOpen);

        // The heartbeat ticks every timeout / 4: the watchdog closes the stalled member with 1008.
        await clock.AdvanceUntilAsync(stalledEndpoint.Log.WaitForAsync("close:"), TimeSpan.FromMilliseconds(100), timeout * 2);
        Assert.StartsWith("close:1008:", await stalledEndpoint.Log.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.Empty(groups.GroupsOf(stalled.Session));
        await stalled.DisposeAsync();
    }

    [Fact]
    public async Task An_object_is_encoded_once_whatever_the_member_count_and_a_failing_one_queues_nothing()
    {
        var groups = NewGroups();
        var members = new List<SendQueueHarness>();
        for (var i = 0; i < 6; i++)
        {
            var member = await StartAsync(groups, pauseThreshold: 1024 * 1024);
            groups.Add(member.Session, "room");
            members.Add(member);
        }

        try
        {
            var counter = new CountingConverter();
            var result = await groups.SendToGroupAsync("room", new Item("x", 1), TypeInfo(counter));
            Assert.Equal(new BroadcastResult(6, 0, 0), result);
            Assert.Equal(1, counter.Writes);

            var failing = new CountingConverter { Fail = true };
            await Assert.ThrowsAsync<EncodeException>(() => groups.SendToGroupAsync("room", new Item("y", 2), TypeInfo(failing)).AsTask());
            await groups.SendToGroupAsync("room", "after");
            foreach (var member in members)
            {
                Assert.Equal(["{\"Name\":\"x\",\"Count\":1}", "after"], await ReadTextsAsync(member, 2));
            }
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Concurrent_joins_leaves_and_a_close_leave_no_trace_of_the_closed_session()
    {
        var groups = NewGroups();
        await using var other = await StartAsync(groups);
        for (var round = 0; round < 20; round++)
        {
            var endpoint = new ScriptedEndpoint();
            var member = Start(endpoint, Settings(), 1024 * 1024, groups: groups);
            await endpoint.Log.WaitForAsync("open");
            groups.Add(other.Session, "g0");
            using var stop = new CancellationTokenSource();
            var churn = Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
            {
                var i = 0;
                while (!stop.IsCancellationRequested)
                {
                    var name = $"g{(worker + i++) % 8}";
                    groups.Add(member.Session, name);
                    groups.Remove(member.Session, $"g{(worker + i) % 8}");
                }
            })).ToArray();

            await member.Peer.SendCloseAsync(1000);
            await member.Run.WaitAsync(Wait);
            stop.Cancel();
            await Task.WhenAll(churn).WaitAsync(Wait);

            for (var g = 0; g < 8; g++)
            {
                Assert.DoesNotContain(member.Session, groups.GetLocalMembers($"g{g}"));
            }

            Assert.Empty(groups.GroupsOf(member.Session));
            Assert.Equal(1, groups.CountLocal("g0"));
            await member.DisposeAsync();
        }
    }

    private static WebSocketGroups NewGroups() => new(new WebSocketGroupOptions(), new NameIdentifierUserIdProvider());

    private static async Task<SendQueueHarness> StartAsync(WebSocketGroups groups, ClaimsPrincipal? user = null, SessionSettings? settings = null, long pauseThreshold = 1024 * 1024)
    {
        var endpoint = new ScriptedEndpoint();
        var harness = Start(endpoint, settings ?? Settings(), pauseThreshold, groups: groups, user: user);
        await endpoint.Log.WaitForAsync("open");
        return harness;
    }

    private static async Task<List<string>> ReadTextsAsync(SendQueueHarness harness, int count)
    {
        var texts = new List<string>();
        while (texts.Count < count)
        {
            var frame = await harness.Peer.ReadFrameAsync().WaitAsync(Wait);
            Assert.NotNull(frame);
            if (frame.Opcode == 1)
            {
                texts.Add(Text(frame));
            }
        }

        return texts;
    }

    private static string Text(RawFrame? frame) => Encoding.UTF8.GetString(Assert.IsType<RawFrame>(frame).Payload);

    private static JsonTypeInfo<Item> TypeInfo(CountingConverter counter)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver(), Converters = { counter } };
        return (JsonTypeInfo<Item>)options.GetTypeInfo(typeof(Item));
    }

    private sealed record Item(string Name, int Count);

    private sealed class CountingConverter : JsonConverter<Item>
    {
        public int Writes;

        public bool Fail { get; init; }

        public override Item Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Item value, JsonSerializerOptions options)
        {
            Interlocked.Increment(ref Writes);
            if (Fail)
            {
                throw new InvalidOperationException("cannot write this item");
            }

            writer.WriteStartObject();
            writer.WriteString("Name", value.Name);
            writer.WriteNumber("Count", value.Count);
            writer.WriteEndObject();
        }
    }
}
