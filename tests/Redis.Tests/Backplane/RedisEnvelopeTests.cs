using System.Buffers.Binary;
using System.Text;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>The backplane's binary envelope: every type survives a round trip (a batch with its messages), and nothing else is taken for one.</summary>
public sealed class RedisEnvelopeTests
{
    [Fact]
    public void A_message_envelope_round_trips_with_its_except_list_payload_and_number()
    {
        var payload = Encoding.UTF8.GetBytes("héllo 🎉");
        var encoded = new RedisEnvelope(EnvelopeType.Message, "node1", 0, BackplaneTargetKind.Group, "room/ü", ["a.1", "b.2"], MessageKind.Text, payload).Encode();
        BinaryPrimitives.WriteUInt64LittleEndian(encoded.AsSpan(RedisEnvelope.SequenceOffset), 42);

        Assert.True(RedisEnvelope.TryDecode(encoded, out var read));
        var envelope = read.Value;
        Assert.Equal((EnvelopeType.Message, "node1", 42UL, BackplaneTargetKind.Group, "room/ü", MessageKind.Text),
            (envelope.Type, envelope.Origin, envelope.Sequence, envelope.TargetKind, envelope.Target, envelope.MessageKind));
        Assert.Equal(["a.1", "b.2"], envelope.Except);
        Assert.Equal(payload, envelope.Payload.ToArray());
        Assert.Equal("AW"u8.ToArray(), encoded[..2]);
    }

    [Fact]
    public void Requests_and_answers_round_trip()
    {
        var add = Decode(new RedisEnvelope(EnvelopeType.AddRequest, "n", 0, RequestId: ulong.MaxValue, SessionId: "n.abc", Group: "g").Encode());
        Assert.Equal((EnvelopeType.AddRequest, ulong.MaxValue, "n.abc", "g"), (add.Type, add.RequestId, add.SessionId, add.Group));

        var count = Decode(new RedisEnvelope(EnvelopeType.CountRequest, "n", 0, RequestId: 7, Group: "g").Encode());
        Assert.Equal((EnvelopeType.CountRequest, 7UL, "g"), (count.Type, count.RequestId, count.Group));

        var reply = Decode(new RedisEnvelope(EnvelopeType.Reply, "n", 0, RequestId: 7, Value: -3).Encode());
        Assert.Equal((EnvelopeType.Reply, 7UL, -3L), (reply.Type, reply.RequestId, reply.Value));

        var members = Decode(new RedisEnvelope(EnvelopeType.MembersReply, "n", 0, RequestId: 8, Members: [new("n.1", "alice"), new("n.2", null)]).Encode());
        Assert.Equal([new GroupMember("n.1", "alice"), new GroupMember("n.2", null)], members.Members);

        var probe = Decode(new RedisEnvelope(EnvelopeType.Probe, "n", 0, RequestId: 9).Encode());
        Assert.Equal((EnvelopeType.Probe, 9UL), (probe.Type, probe.RequestId));
    }

    [Fact]
    public void Anything_that_is_not_a_whole_well_formed_envelope_is_refused()
    {
        var good = new RedisEnvelope(EnvelopeType.Message, "node1", 1, BackplaneTargetKind.User, "alice", [], MessageKind.Binary, new byte[] { 1, 2, 3 }).Encode();
        Assert.True(RedisEnvelope.TryDecode(good, out _));

        // Every truncation, one extra byte, another magic or version, an unknown type or target or message kind.
        for (var length = 0; length < good.Length; length++)
        {
            Assert.False(RedisEnvelope.TryDecode(good.AsMemory(0, length), out _), $"truncated to {length} bytes");
        }

        Assert.False(RedisEnvelope.TryDecode(good.Append((byte)0).ToArray(), out _));
        Assert.False(RedisEnvelope.TryDecode(Patched(good, 0, (byte)'X'), out _));
        Assert.False(RedisEnvelope.TryDecode(Patched(good, 2, 2), out _));
        Assert.False(RedisEnvelope.TryDecode(Patched(good, 3, 99), out _));
        Assert.False(RedisEnvelope.TryDecode("not an envelope"u8.ToArray(), out _));

        // Invalid UTF-8 in a name.
        var bad = new RedisEnvelope(EnvelopeType.CountRequest, "n", 0, RequestId: 1, Group: "ab").Encode();
        bad[^1] = 0xFF;
        Assert.False(RedisEnvelope.TryDecode(bad, out _));
    }

    [Fact]
    public void A_batch_round_trips_its_messages_in_order_each_with_its_own_number()
    {
        var messages = new[]
        {
            new RedisEnvelope(EnvelopeType.Message, "node1", 0, BackplaneTargetKind.Group, "room", ["a.1"], MessageKind.Text, "one"u8.ToArray()).Encode(),
            new RedisEnvelope(EnvelopeType.Message, "node1", 0, BackplaneTargetKind.User, "alice", [], MessageKind.Binary, new byte[] { 0, 255 }).Encode(),
            new RedisEnvelope(EnvelopeType.Message, "node1", 0, BackplaneTargetKind.Group, "room", [], MessageKind.Text, ReadOnlyMemory<byte>.Empty).Encode(),
        };

        var batch = Decode(RedisEnvelope.EncodeBatch("node1", 41, messages));

        Assert.Equal((EnvelopeType.Batch, "node1", 41UL), (batch.Type, batch.Origin, batch.Sequence));
        Assert.Equal(3, batch.Messages!.Count);
        for (var i = 0; i < messages.Length; i++)
        {
            var expected = Decode(messages[i]);
            var read = batch.Messages[i];
            Assert.Equal((EnvelopeType.Message, "node1", 41UL + (ulong)i, expected.TargetKind, expected.Target, expected.MessageKind),
                (read.Type, read.Origin, read.Sequence, read.TargetKind, read.Target, read.MessageKind));
            Assert.Equal(expected.Except, read.Except);
            Assert.Equal(expected.Payload.ToArray(), read.Payload.ToArray());
        }
    }

    [Fact]
    public void A_truncated_empty_or_overcounted_batch_is_refused()
    {
        var message = new RedisEnvelope(EnvelopeType.Message, "n", 0, BackplaneTargetKind.Group, "g", [], MessageKind.Text, "x"u8.ToArray()).Encode();
        var good = RedisEnvelope.EncodeBatch("n", 1, [message, message]);
        Assert.True(RedisEnvelope.TryDecode(good, out _));

        for (var length = 0; length < good.Length; length++)
        {
            Assert.False(RedisEnvelope.TryDecode(good.AsMemory(0, length), out _), $"truncated to {length} bytes");
        }

        Assert.False(RedisEnvelope.TryDecode(good.Append((byte)0).ToArray(), out _));

        // The count sits right after the header: 0, one more than there are, and more than the bytes could ever hold.
        var countAt = RedisEnvelope.HeaderSize("n");
        Assert.Equal(2, good[countAt]);
        Assert.False(RedisEnvelope.TryDecode(Patched(good, countAt, 0), out _));
        Assert.False(RedisEnvelope.TryDecode(Patched(good, countAt, 3), out _));
        Assert.False(RedisEnvelope.TryDecode(Patched(good, countAt, 127), out _));
        var huge = good[..countAt].Concat(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }).Concat(good[(countAt + 1)..]).ToArray();
        Assert.False(RedisEnvelope.TryDecode(huge, out _));

        // A message of the batch that is not well-formed spoils the whole batch.
        var badKind = message.ToArray();
        badKind[^3] = 7;   // the message kind, before the payload's length and byte
        Assert.False(RedisEnvelope.TryDecode(RedisEnvelope.EncodeBatch("n", 1, [message, badKind]), out _));
    }

    private static RedisEnvelope Decode(byte[] encoded)
    {
        Assert.True(RedisEnvelope.TryDecode(encoded, out var envelope));
        return envelope.Value;
    }

    private static byte[] Patched(byte[] bytes, int index, byte value)
    {
        var copy = bytes.ToArray();
        copy[index] = value;
        return copy;
    }
}
