using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Annotated.WebSockets.Redis;

/// <summary>What an envelope carries.</summary>
internal enum EnvelopeType : byte
{
    /// <summary>A message for sessions (a group, a user, an endpoint or one session).</summary>
    Message = 1,

    /// <summary>Add a session of the receiving node to a group; answered with a <see cref="Reply"/>.</summary>
    AddRequest = 2,

    /// <summary>Remove a session of the receiving node from a group; answered with a <see cref="Reply"/>.</summary>
    RemoveRequest = 3,

    /// <summary>How many members of a group the receiving node has; answered with a <see cref="Reply"/>.</summary>
    CountRequest = 4,

    /// <summary>The answer to a request.</summary>
    Reply = 5,

    /// <summary>A node's message to itself that proves its subscription still delivers.</summary>
    Probe = 6,

    /// <summary>Which members of a group the receiving node has; answered with a <see cref="MembersReply"/>.</summary>
    MembersRequest = 7,

    /// <summary>The answer to a <see cref="MembersRequest"/>: session and user ids.</summary>
    MembersReply = 8,

    /// <summary>
    /// Several <see cref="Message"/>s of one channel in one publish: the sequence field is the first message's number and
    /// the others follow it one by one; then a 7-bit count (at least one) and each message's fields as in a <see cref="Message"/>.
    /// </summary>
    Batch = 9,
}

/// <summary>
/// One compact binary envelope per message between nodes, made once at the origin and read without reflection:
/// magic "AW", version 1, type, the per-channel sequence number (8 bytes, little-endian, at <see cref="SequenceOffset"/>,
/// so that the publisher can number an envelope it has already encoded), the origin node, then the type's fields. Strings are a
/// 7-bit-encoded byte length and UTF-8; numbers are 7-bit encoded; the payload is the message's bytes as they are.
/// A <see cref="EnvelopeType.Batch"/> is made from its messages' encoded envelopes (<see cref="EncodeBatch"/>) and read
/// into <see cref="Messages"/>, each a <see cref="EnvelopeType.Message"/> with its own number.
/// </summary>
internal readonly record struct RedisEnvelope(
    EnvelopeType Type,
    string Origin,
    ulong Sequence,
    BackplaneTargetKind TargetKind = default,
    string Target = "",
    IReadOnlyCollection<string>? Except = null,
    MessageKind MessageKind = default,
    ReadOnlyMemory<byte> Payload = default,
    ulong RequestId = 0,
    string SessionId = "",
    string Group = "",
    long Value = 0,
    IReadOnlyList<GroupMember>? Members = null,
    IReadOnlyList<RedisEnvelope>? Messages = null)
{
    private const byte Magic0 = (byte)'A';
    private const byte Magic1 = (byte)'W';
    private const byte Version = 1;

    /// <summary>Where the sequence number sits in an encoded envelope.</summary>
    public const int SequenceOffset = 4;

    // The fewest bytes a message's fields take: target kind, a one-byte target, no except list, message kind, no payload.
    private const int MinMessageSize = 1 + 2 + 1 + 1 + 1;

    // Strict: a foreign envelope with invalid UTF-8 in a name is refused, not repaired.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes the envelope into one new array, sized exactly.</summary>
    public byte[] Encode()
    {
        var except = Except ?? [];
        var size = HeaderSize(Origin);
        switch (Type)
        {
            case EnvelopeType.Message:
                size += 1 + StringSize(Target) + VarSize((ulong)except.Count) + 1 + VarSize((ulong)Payload.Length) + Payload.Length;
                foreach (var id in except)
                {
                    size += StringSize(id);
                }

                break;
            case EnvelopeType.AddRequest or EnvelopeType.RemoveRequest:
                size += VarSize(RequestId) + StringSize(SessionId) + StringSize(Group);
                break;
            case EnvelopeType.CountRequest or EnvelopeType.MembersRequest:
                size += VarSize(RequestId) + StringSize(Group);
                break;
            case EnvelopeType.MembersReply:
                size += VarSize(RequestId) + VarSize((ulong)(Members?.Count ?? 0));
                foreach (var member in Members ?? [])
                {
                    size += StringSize(member.SessionId) + 1 + (member.UserId is { } user ? StringSize(user) : 0);
                }

                break;
            case EnvelopeType.Reply:
                size += VarSize(RequestId) + VarSize(ZigZag(Value));
                break;
            case EnvelopeType.Probe:
                size += VarSize(RequestId);
                break;
            case EnvelopeType.Batch:
                throw new InvalidOperationException("A batch is made from its messages' envelopes by EncodeBatch.");
        }

        var buffer = new byte[size];
        var writer = new Writer(buffer);
        writer.Header(Type, Sequence, Origin);
        switch (Type)
        {
            case EnvelopeType.Message:
                writer.Byte((byte)TargetKind);
                writer.String(Target);
                writer.Var((ulong)except.Count);
                foreach (var id in except)
                {
                    writer.String(id);
                }

                writer.Byte((byte)MessageKind);
                writer.Var((ulong)Payload.Length);
                writer.Bytes(Payload.Span);
                break;
            case EnvelopeType.AddRequest or EnvelopeType.RemoveRequest:
                writer.Var(RequestId);
                writer.String(SessionId);
                writer.String(Group);
                break;
            case EnvelopeType.CountRequest or EnvelopeType.MembersRequest:
                writer.Var(RequestId);
                writer.String(Group);
                break;
            case EnvelopeType.MembersReply:
                writer.Var(RequestId);
                writer.Var((ulong)(Members?.Count ?? 0));
                foreach (var member in Members ?? [])
                {
                    writer.String(member.SessionId);
                    writer.Byte(member.UserId is null ? (byte)0 : (byte)1);
                    if (member.UserId is { } user)
                    {
                        writer.String(user);
                    }
                }

                break;
            case EnvelopeType.Reply:
                writer.Var(RequestId);
                writer.Var(ZigZag(Value));
                break;
            case EnvelopeType.Probe:
                writer.Var(RequestId);
                break;
        }

        return buffer;
    }

    /// <summary>
    /// One <see cref="EnvelopeType.Batch"/> envelope for the <see cref="EnvelopeType.Message"/> envelopes
    /// <paramref name="messages"/> (encoded by <paramref name="origin"/>, their numbers ignored): their fields follow
    /// the batch's header and count as they are, so that a message is encoded once whether it goes alone or in a batch.
    /// </summary>
    public static byte[] EncodeBatch(string origin, ulong firstSequence, IReadOnlyList<byte[]> messages)
    {
        var header = HeaderSize(origin);
        var size = header + VarSize((ulong)messages.Count);
        foreach (var message in messages)
        {
            size += message.Length - header;
        }

        var buffer = new byte[size];
        var writer = new Writer(buffer);
        writer.Header(EnvelopeType.Batch, firstSequence, origin);
        writer.Var((ulong)messages.Count);
        foreach (var message in messages)
        {
            writer.Bytes(message.AsSpan(header));
        }

        return buffer;
    }

    /// <summary>The size of an envelope's header (magic, version, type, number, origin), after which its type's fields start.</summary>
    public static int HeaderSize(string origin) => SequenceOffset + sizeof(ulong) + StringSize(origin);

    /// <summary>Reads an envelope; false for anything that is not a whole, well-formed version-1 envelope.</summary>
    /// <remarks>The payload refers to <paramref name="data"/>: copy it before <paramref name="data"/> is reused.</remarks>
    public static bool TryDecode(ReadOnlyMemory<byte> data, [NotNullWhen(true)] out RedisEnvelope? envelope)
    {
        envelope = null;
        var reader = new Reader(data);
        if (!reader.Byte(out var m0) || m0 != Magic0 || !reader.Byte(out var m1) || m1 != Magic1
            || !reader.Byte(out var version) || version != Version || !reader.Byte(out var type)
            || !reader.UInt64(out var sequence) || !reader.String(out var origin))
        {
            return false;
        }

        switch ((EnvelopeType)type)
        {
            case EnvelopeType.Message:
                if (!TryReadMessage(ref reader, origin, sequence, out var single) || !reader.AtEnd)
                {
                    return false;
                }

                envelope = single;
                return true;
            case EnvelopeType.Batch:
                // Each message takes at least MinMessageSize bytes: a count the data cannot hold is refused before anything is allocated.
                if (!reader.Var(out var count) || count == 0 || count > (ulong)(reader.Remaining / MinMessageSize))
                {
                    return false;
                }

                var messages = new RedisEnvelope[(int)count];
                for (var i = 0; i < messages.Length; i++)
                {
                    if (!TryReadMessage(ref reader, origin, sequence + (ulong)i, out var message))
                    {
                        return false;
                    }

                    messages[i] = message.Value;
                }

                if (!reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope(EnvelopeType.Batch, origin, sequence, Messages: messages);
                return true;
            case EnvelopeType.AddRequest or EnvelopeType.RemoveRequest:
                if (!reader.Var(out ulong requestId) || !reader.String(out var sessionId) || !reader.String(out var group) || group.Length == 0 || !reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope((EnvelopeType)type, origin, sequence, RequestId: requestId, SessionId: sessionId, Group: group);
                return true;
            case EnvelopeType.CountRequest or EnvelopeType.MembersRequest:
                if (!reader.Var(out requestId) || !reader.String(out group) || group.Length == 0 || !reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope((EnvelopeType)type, origin, sequence, RequestId: requestId, Group: group);
                return true;
            case EnvelopeType.MembersReply:
                if (!reader.Var(out requestId) || !reader.Var(out var memberCount) || memberCount > (ulong)data.Length)
                {
                    return false;
                }

                var members = new GroupMember[(int)memberCount];
                for (var i = 0; i < members.Length; i++)
                {
                    string? user = null;
                    if (!reader.String(out var memberSession) || !reader.Byte(out var hasUser) || hasUser > 1 || (hasUser == 1 && !reader.String(out user)))
                    {
                        return false;
                    }

                    members[i] = new GroupMember(memberSession, user);
                }

                if (!reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope(EnvelopeType.MembersReply, origin, sequence, RequestId: requestId, Members: members);
                return true;
            case EnvelopeType.Reply:
                if (!reader.Var(out requestId) || !reader.Var(out var value) || !reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope(EnvelopeType.Reply, origin, sequence, RequestId: requestId, Value: UnZigZag(value));
                return true;
            case EnvelopeType.Probe:
                if (!reader.Var(out requestId) || !reader.AtEnd)
                {
                    return false;
                }

                envelope = new RedisEnvelope(EnvelopeType.Probe, origin, sequence, RequestId: requestId);
                return true;
            default:
                return false;
        }
    }

    // A message's fields, the same alone and in a batch: target kind, target, except list, message kind, payload.
    private static bool TryReadMessage(ref Reader reader, string origin, ulong sequence, [NotNullWhen(true)] out RedisEnvelope? envelope)
    {
        envelope = null;
        if (!reader.Byte(out var targetKind) || targetKind > (byte)BackplaneTargetKind.Session
            || !reader.String(out var target) || target.Length == 0 || !reader.Var(out var exceptCount) || exceptCount > (ulong)reader.Remaining)
        {
            return false;
        }

        var except = new string[(int)exceptCount];
        for (var i = 0; i < except.Length; i++)
        {
            if (!reader.String(out except[i]!))
            {
                return false;
            }
        }

        if (!reader.Byte(out var kind) || kind is not ((byte)MessageKind.Text or (byte)MessageKind.Binary) || !reader.Var(out var length) || !reader.Bytes(length, out var payload))
        {
            return false;
        }

        envelope = new RedisEnvelope(EnvelopeType.Message, origin, sequence, (BackplaneTargetKind)targetKind, target, except, (MessageKind)kind, payload);
        return true;
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int VarSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }

        return size;
    }

    private static int StringSize(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        return VarSize((ulong)bytes) + bytes;
    }

    private ref struct Writer(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;
        private int _position;

        public void Byte(byte value) => _buffer[_position++] = value;

        public void Header(EnvelopeType type, ulong sequence, string origin)
        {
            Byte(Magic0);
            Byte(Magic1);
            Byte(Version);
            Byte((byte)type);
            UInt64(sequence);
            String(origin);
        }

        public void UInt64(ulong value)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer[_position..], value);
            _position += sizeof(ulong);
        }

        public void Var(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer[_position++] = (byte)(value | 0x80);
                value >>= 7;
            }

            _buffer[_position++] = (byte)value;
        }

        public void String(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Var((ulong)length);
            _position += Encoding.UTF8.GetBytes(value, _buffer[_position..]);
        }

        public void Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(_buffer[_position..]);
            _position += value.Length;
        }
    }

    private struct Reader(ReadOnlyMemory<byte> data)
    {
        private readonly ReadOnlyMemory<byte> _data = data;
        private int _position;

        public readonly bool AtEnd => _position == _data.Length;

        public readonly int Remaining => _data.Length - _position;

        public bool Byte(out byte value)
        {
            if (_position >= _data.Length)
            {
                value = 0;
                return false;
            }

            value = _data.Span[_position++];
            return true;
        }

        public bool UInt64(out ulong value)
        {
            if (_data.Length - _position < sizeof(ulong))
            {
                value = 0;
                return false;
            }

            value = BinaryPrimitives.ReadUInt64LittleEndian(_data.Span[_position..]);
            _position += sizeof(ulong);
            return true;
        }

        public bool Var(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (!Byte(out var b))
                {
                    return false;
                }

                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            return false;
        }

        public bool Bytes(ulong length, out ReadOnlyMemory<byte> value)
        {
            if (length > (ulong)(_data.Length - _position))
            {
                value = default;
                return false;
            }

            value = _data.Slice(_position, (int)length);
            _position += (int)length;
            return true;
        }

        public bool String([NotNullWhen(true)] out string? value)
        {
            value = null;
            if (!Var(out var length) || !Bytes(length, out var bytes))
            {
                return false;
            }

            try
            {
                value = StrictUtf8.GetString(bytes.Span);
                return true;
            }
            catch (DecoderFallbackException)
            {
                return false;
            }
        }
    }
}
