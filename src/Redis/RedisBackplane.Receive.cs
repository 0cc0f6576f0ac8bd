using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

// What arrives on the node's channels: messages for its sessions, requests from other nodes and their answers. Each
// channel's handler runs for one message at a time, so a channel's messages are delivered in the order they came.
public sealed partial class RedisBackplane
{
    private void OnNodeMessage(ChannelMessage message)
    {
        if (!TryRead(message, _nodeState, out var envelope))
        {
            return;
        }

        switch (envelope.Type)
        {
            case EnvelopeType.Message or EnvelopeType.Batch:
                DeliverEach(envelope, null, static (message, _) => message.TargetKind == BackplaneTargetKind.Session);
                break;
            case EnvelopeType.AddRequest or EnvelopeType.RemoveRequest:
                _ = AnswerMembershipAsync(envelope);
                break;
            case EnvelopeType.Reply or EnvelopeType.MembersReply:
            case EnvelopeType.Probe when envelope.Origin == NodeId:
                if (_pending.TryGetValue(envelope.RequestId, out var pending))
                {
                    pending.Answer(envelope.Value, envelope.Members);
                }

                break;
        }
    }

    private void OnAllMessage(ChannelMessage message)
    {
        if (TryRead(message, _allState, out var envelope))
        {
            DeliverEach(envelope, null, static (message, _) => message.TargetKind is BackplaneTargetKind.User or BackplaneTargetKind.Endpoint);
        }
    }

    private void OnGroupMessage(string group, ChannelState state, ChannelMessage message)
    {
        if (!TryRead(message, state, out var envelope))
        {
            return;
        }

        if (envelope.Type is EnvelopeType.Message or EnvelopeType.Batch)
        {
            DeliverEach(envelope, group, static (message, group) => message.TargetKind == BackplaneTargetKind.Group && message.Target == group);
        }
        else if (envelope.Type == EnvelopeType.CountRequest && envelope.Group == group)
        {
            // This node's own members are counted by WebSocketGroups: it answers its own request with zero.
            var count = envelope.Origin == NodeId ? 0 : _node?.CountLocal(group) ?? 0;
            _ = AnswerAsync(envelope, count);
        }
        else if (envelope.Type == EnvelopeType.MembersRequest && envelope.Group == group)
        {
            IReadOnlyList<GroupMember> members = envelope.Origin == NodeId ? [] : _node?.GetLocalMembers(group) ?? [];
            _ = AnswerAsync(envelope, 0, members);
        }
    }

    // Reads an envelope, skips what this node published itself, and counts gaps in the origin's numbering.
    private bool TryRead(ChannelMessage message, ChannelState state, out RedisEnvelope envelope)
    {
        envelope = default;
        var data = (ReadOnlyMemory<byte>)message.Message;
        if (!RedisEnvelope.TryDecode(data, out var read))
        {
            Interlocked.Increment(ref _malformed);
            Log.Malformed(_logger, message.Channel.ToString(), data.Length);
            return false;
        }

        envelope = read.Value;
        if (envelope.Type is EnvelopeType.Message or EnvelopeType.Batch)
        {
            if (envelope.Origin == NodeId)
            {
                return false;   // delivered locally before it was published
            }

            // A batch of n uses n numbers from its own on: the gaps are counted in messages either way.
            if (state.Check(envelope.Origin, envelope.Sequence, envelope.Messages?.Count ?? 1) is > 0 and var missed)
            {
                Interlocked.Add(ref _gaps, missed);
                Log.Gap(_logger, missed, envelope.Origin, message.Channel.ToString(), envelope.Sequence, envelope.Sequence - (ulong)missed);
            }
        }

        return true;
    }

    // The message, or each of a batch's messages in order, that the channel carries (the others are not this node's
    // to deliver: a foreign or confused sender).
    private void DeliverEach(RedisEnvelope envelope, string? group, Func<RedisEnvelope, string?, bool> carried)
    {
        if (envelope.Messages is not { } messages)
        {
            if (carried(envelope, group))
            {
                Deliver(envelope);
            }

            return;
        }

        foreach (var message in messages)
        {
            if (carried(message, group))
            {
                Deliver(message);
            }
        }
    }

    private void Deliver(RedisEnvelope envelope)
    {
        if (_node is not { } node)
        {
            return;
        }

        PreparedMessage message;
        try
        {
            message = envelope.MessageKind == MessageKind.Text
                ? PreparedMessage.FromText(new Utf8Text(envelope.Payload))
                : PreparedMessage.FromBinary(envelope.Payload);
        }
        catch (ArgumentException)
        {
            Interlocked.Increment(ref _malformed);   // text that is not UTF-8: not from one of our nodes
            return;
        }

        node.Deliver(new BackplaneMessage(envelope.TargetKind, envelope.Target, envelope.Except ?? [], message));
    }

    private async Task AnswerMembershipAsync(RedisEnvelope request)
    {
        long result;
        try
        {
            result = _node is not { } node
                ? (long)GroupChangeResult.SessionNotFound
                : request.Type == EnvelopeType.AddRequest
                    ? (long)await node.AddToGroupAsync(request.SessionId, request.Group).ConfigureAwait(false)
                    : (long)node.RemoveFromGroup(request.SessionId, request.Group);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or WebSocketBackplaneException)
        {
            // Too many groups, a bad name, or this node could not subscribe: the asker gets no answer and times out
            // with its own message; the reason is logged here.
            Log.RequestFailed(_logger, request.Origin, ex.Message);
            return;
        }

        await AnswerAsync(request, result).ConfigureAwait(false);
    }

    private async Task AnswerAsync(RedisEnvelope request, long value, IReadOnlyList<GroupMember>? members = null)
    {
        try
        {
            var reply = new RedisEnvelope(members is null ? EnvelopeType.Reply : EnvelopeType.MembersReply, NodeId, 0, RequestId: request.RequestId, Value: value, Members: members).Encode();
            await PublishAsync(_channels.Node(request.Origin), reply, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketBackplaneException or OperationCanceledException)
        {
            // Redis went away: the asker times out.
        }
    }

    // The last number seen from each origin on one channel; touched only by that channel's handler.
    private sealed class ChannelState
    {
        private readonly Dictionary<string, ulong> _last = new(StringComparer.Ordinal);

        // How many numbers were skipped before this one (0 when none; a lower number is the origin starting over), for an
        // envelope of count messages numbered from sequence on.
        public long Check(string origin, ulong sequence, int count)
        {
            var missed = _last.TryGetValue(origin, out var last) && sequence > last + 1 ? (long)(sequence - last - 1) : 0;
            _last[origin] = sequence + (ulong)(count - 1);
            return missed;
        }
    }
}
