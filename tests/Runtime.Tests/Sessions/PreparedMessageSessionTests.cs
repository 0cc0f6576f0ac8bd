using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Sessions;
using static Annotated.WebSockets.Runtime.Tests.Sessions.SendQueueHarness;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// A prepared message queued on sessions without waiting for their peers (<c>TryQueue</c>): encoded once, the same
/// bytes to every peer; a peer that reads nothing fills its own queue (Full) and delays no other; queue order with
/// the session's other sends; Closed, and nothing thrown, once the session is closed.
/// </summary>
public class PreparedMessageSessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_message_encoded_once_reaches_every_session_with_the_same_bytes()
    {
        var counter = new CountingConverter();
        var typeInfo = TypeInfo(counter);
        var harnesses = await StartAsync(5, Settings(), pauseThreshold: 1024 * 1024);
        try
        {
            var message = PreparedMessage.FromJson(new Item("room", 7), typeInfo);
            foreach (var harness in harnesses)
            {
                Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(message));
            }

            Assert.Equal(1, counter.Writes);
            Assert.Equal(MessageKind.Text, message.Kind);
            var expected = JsonSerializer.SerializeToUtf8Bytes(new Item("room", 7), TypeInfo(new CountingConverter()));
            Assert.Equal(expected.Length, message.Length);
            foreach (var harness in harnesses)
            {
                var frame = await harness.Peer.ReadFrameAsync();
                Assert.NotNull(frame);
                Assert.Equal(1, frame.Opcode);
                Assert.Equal(expected, frame.Payload);
            }
        }
        finally
        {
            await DisposeAllAsync(harnesses);
        }
    }

    [Fact]
    public void An_encoder_failure_is_an_EncodeException_to_the_caller()
    {
        var error = Assert.Throws<EncodeException>(() => PreparedMessage.FromJson(new Item("fail", 1), TypeInfo(new CountingConverter())));
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void The_factories_copy_the_callers_bytes()
    {
        var data = new byte[] { 1, 2, 3 };
        var binary = PreparedMessage.FromBinary(data);
        var utf8 = PreparedMessage.FromText(new Utf8Text(Encoding.UTF8.GetBytes("hé")));
        data[0] = 9;

        Assert.Equal(new byte[] { 1, 2, 3 }, binary.Payload.ToArray());
        Assert.Equal(MessageKind.Binary, binary.Kind);
        Assert.Equal(MessageKind.Text, utf8.Kind);
        Assert.Equal(3, utf8.Length);
        Assert.Equal("hé", Encoding.UTF8.GetString(PreparedMessage.FromText("hé").Payload.Span));
    }

    [Fact]
    public async Task A_peer_that_reads_nothing_gets_Full_at_its_bound_while_a_reading_peer_receives_everything()
    {
        var endpoint = new ScriptedEndpoint();
        await using var stalled = Start(endpoint, Settings(maxMessages: 4));
        var other = new ScriptedEndpoint();
        // The reading peer's queue has the default bound: with 4 places, a message offered while its scheduled flush holds
        // the transport for a moment could find the queue full though the peer reads.
        await using var reading = Start(other, Settings(), pauseThreshold: 1024 * 1024);
        await endpoint.Log.WaitForAsync("open");
        await other.Log.WaitForAsync("open");
        var messages = Enumerable.Range(0, 60).Select(i => PreparedMessage.FromBinary(Payload(i, 600))).ToList();

        // Offered from another thread and awaited with a deadline: a TryQueue that blocked would fail the test.
        var results = await Task.Run(() =>
        {
            var outcome = new List<(SendQueueResult Stalled, SendQueueResult Reading)>();
            foreach (var message in messages)
            {
                outcome.Add((stalled.Session.TryQueue(message), reading.Session.TryQueue(message)));
            }

            return outcome;
        }).WaitAsync(Wait);

        // 602 bytes on the wire each: a first run is written at once and waits in the transport's buffer for the
        // session's deferred flush (at most DeferredFlushLimit bytes), then a write has to flush into the stalled 1 KiB
        // transport and stays in progress, and three more hold the other places; the rest find no room.
        var queued = results.TakeWhile(static r => r.Stalled == SendQueueResult.Queued).Count();
        Assert.InRange(queued, 5, 5 + (Annotated.WebSockets.Protocol.WebSocketEngine.DeferredFlushLimit / 602));
        Assert.All(results.Skip(queued), static r => Assert.Equal(SendQueueResult.Full, r.Stalled));
        Assert.Equal(4, stalled.Queue.Messages);
        Assert.Equal(0, stalled.Queue.Waiting);

        // The reading peer takes every message (its writes went through at once) while the other is still stalled.
        Assert.All(results, r => Assert.Equal(SendQueueResult.Queued, r.Reading));
        for (var i = 0; i < messages.Count; i++)
        {
            var frame = await reading.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(i, BitConverter.ToInt32(frame.Payload));
        }

        Assert.Equal(4, stalled.Queue.Messages);
        Assert.True(stalled.Session.IsOpen);

        // Once the stalled peer reads, it gets every queued message in order, and room again.
        for (var i = 0; i < queued; i++)
        {
            var frame = await stalled.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(i, BitConverter.ToInt32(frame.Payload));
        }

        await WaitUntilAsync(() => stalled.Queue.Messages == 0, () => $"queued {stalled.Queue.Messages}");
        Assert.Equal(0, stalled.Queue.Bytes);
        Assert.Equal(SendQueueResult.Queued, stalled.Session.TryQueue(messages[0]));
    }

    [Fact]
    public async Task A_backlog_of_queued_messages_goes_out_in_fewer_transport_writes_and_nothing_is_left_unflushed()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 256);
        await endpoint.Log.WaitForAsync("open");
        var before = harness.Engine.SendProgress;

        // The transport holds 256 bytes: the first message's flush waits for the peer, the other 39 queue behind it.
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(PreparedMessage.FromBinary(Payload(i, 60))));
        }

        for (var i = 0; i < 40; i++)
        {
            var frame = await harness.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(i, BitConverter.ToInt32(frame.Payload));
        }

        await WaitUntilAsync(() => harness.Queue.Messages == 0, () => $"queued {harness.Queue.Messages}");
        var flushes = harness.Engine.SendProgress - before;
        // Each message is written at once and flushed by the session's scheduled flush, which carries every frame
        // written before it runs: 40 messages, far fewer flushes (how many depends on how the backlog drained; one
        // per message is what this replaced).
        Assert.True(flushes < 20, $"{flushes} flushes for 40 queued messages");
        Assert.False(harness.Engine.FlushOwed);

        // A message alone is flushed too, by the flush it schedules, and then nothing is left in hand.
        Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(PreparedMessage.FromBinary(Payload(40, 60))));
        Assert.Equal(40, BitConverter.ToInt32((await harness.Peer.ReadFrameAsync())!.Payload));
        await WaitUntilAsync(() => !((ISendProgressSource)harness.Session).HasQueuedSends, () => "a flush still in hand");
    }

    [Fact]
    public async Task Queued_messages_keep_their_order_among_ordinary_sends_from_the_same_thread()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 256);
        await endpoint.Log.WaitForAsync("open");

        // The transport holds 256 bytes: most of these wait in the queue, prepared and ordinary alike.
        var sends = new List<Task>();
        for (var i = 0; i < 40; i++)
        {
            var text = $"{i:D3}" + new string('.', 60);
            if (i % 3 == 0)
            {
                sends.Add(harness.Session.AsyncRemote.SendTextAsync(text));
            }
            else
            {
                Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(i % 2 == 0 ? PreparedMessage.FromText(text) : PreparedMessage.FromBinary(Encoding.UTF8.GetBytes(text))));
            }
        }

        for (var i = 0; i < 40; i++)
        {
            var frame = await harness.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal($"{i:D3}", Encoding.UTF8.GetString(frame.Payload, 0, 3));
            Assert.Equal(i % 3 != 0 && i % 2 != 0 ? 2 : 1, frame.Opcode);
        }

        await Task.WhenAll(sends).WaitAsync(Wait);
        await WaitUntilAsync(() => harness.Queue.Messages == 0, () => $"queued {harness.Queue.Messages}");
    }

    [Fact]
    public async Task A_closed_session_returns_Closed_and_nothing_throws()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 1024 * 1024);
        await endpoint.Log.WaitForAsync("open");
        var message = PreparedMessage.FromText("late");

        var closing = harness.Session.CloseAsync();
        Assert.Equal(SendQueueResult.Closed, harness.Session.TryQueue(message));
        Assert.Equal(8, (await harness.Peer.ReadCloseAsync()).Opcode);
        await harness.Peer.SendCloseAsync(1000);
        await closing.WaitAsync(Wait);
        await harness.Run.WaitAsync(Wait);

        Assert.Equal(SendQueueResult.Closed, harness.Session.TryQueue(message));
        await Assert.ThrowsAsync<IOException>(() => harness.Session.BasicRemote.SendAsync(message));
    }

    [Fact]
    public async Task A_message_queued_before_the_transport_fails_is_dropped_without_an_exception()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 256);
        await endpoint.Log.WaitForAsync("open");
        var message = PreparedMessage.FromBinary(new byte[600]);

        Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(message));
        Assert.Equal(SendQueueResult.Queued, harness.Session.TryQueue(message));
        harness.Engine.Abort();

        // The queued writes fail on the aborted transport, give their places back and the session closes.
        await harness.Run.WaitAsync(Wait);
        await WaitUntilAsync(() => harness.Queue.Messages == 0, () => $"queued {harness.Queue.Messages}");
        Assert.Equal(SendQueueResult.Closed, harness.Session.TryQueue(message));
    }

    [Fact]
    public async Task SendAsync_sends_a_prepared_message_and_completes_when_it_is_written()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 1024 * 1024);
        await endpoint.Log.WaitForAsync("open");

        await harness.Session.BasicRemote.SendAsync(PreparedMessage.FromText("hello")).WaitAsync(Wait);

        var frame = await harness.Peer.ReadFrameAsync();
        Assert.NotNull(frame);
        Assert.Equal("hello", Encoding.UTF8.GetString(frame.Payload));
    }

    private static async Task<List<SendQueueHarness>> StartAsync(int count, SessionSettings settings, long pauseThreshold)
    {
        var harnesses = new List<SendQueueHarness>();
        for (var i = 0; i < count; i++)
        {
            var endpoint = new ScriptedEndpoint();
            harnesses.Add(Start(endpoint, settings, pauseThreshold));
            await endpoint.Log.WaitForAsync("open");
        }

        return harnesses;
    }

    private static async Task DisposeAllAsync(IEnumerable<SendQueueHarness> harnesses)
    {
        foreach (var harness in harnesses)
        {
            await harness.DisposeAsync();
        }
    }

    private static JsonTypeInfo<Item> TypeInfo(CountingConverter counter)
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver(), Converters = { counter } };
        return (JsonTypeInfo<Item>)options.GetTypeInfo(typeof(Item));
    }

    private sealed record Item(string Name, int Count);

    // Counts how often the serializer encodes an Item; "fail" fails.
    private sealed class CountingConverter : JsonConverter<Item>
    {
        private int _writes;

        public int Writes => Volatile.Read(ref _writes);

        public override Item Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, Item value, JsonSerializerOptions options)
        {
            Interlocked.Increment(ref _writes);
            if (value.Name == "fail")
            {
                throw new InvalidOperationException("cannot encode");
            }

            writer.WriteStartObject();
            writer.WriteString("name", value.Name);
            writer.WriteNumber("count", value.Count);
            writer.WriteEndObject();
        }
    }
}
