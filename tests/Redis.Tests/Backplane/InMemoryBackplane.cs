using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>
/// Several nodes of one process joined in memory, as a broker would join them: each node's backplane hands a message to
/// every other node that listens for its target, through that node's own ordered inbox (asynchronous, like a broker).
/// For the conformance suite's in-memory run; never instead of the real Redis runs.
/// </summary>
public sealed class InMemoryBroker
{
    private readonly ConcurrentDictionary<string, InMemoryBackplane> _nodes = new(StringComparer.Ordinal);

    /// <summary>A backplane for one more node.</summary>
    public InMemoryBackplane CreateNode()
    {
        var node = new InMemoryBackplane(this, Guid.NewGuid().ToString("N")[..8]);
        _nodes[node.NodeId] = node;
        return node;
    }

    internal IEnumerable<InMemoryBackplane> Others(InMemoryBackplane self) => _nodes.Values.Where(node => node != self);

    internal InMemoryBackplane? Node(string id) => _nodes.GetValueOrDefault(id);
}

/// <summary>One node's side of an <see cref="InMemoryBroker"/>.</summary>
public sealed class InMemoryBackplane : WebSocketBackplane
{
    private readonly InMemoryBroker _broker;
    private readonly ConcurrentDictionary<string, bool> _listening = new(StringComparer.Ordinal);
    private readonly Channel<BackplaneMessage> _inbox = Channel.CreateUnbounded<BackplaneMessage>(new UnboundedChannelOptions { SingleReader = true });
    private WebSocketNode? _node;

    internal InMemoryBackplane(InMemoryBroker broker, string nodeId)
    {
        _broker = broker;
        NodeId = nodeId;
        _ = DeliverInOrderAsync();
    }

    public string NodeId { get; }

    private WebSocketNode Node => _node ?? throw new InvalidOperationException("Not attached.");

    public override void Attach(WebSocketNode node) => _node = node;

    public override string CreateSessionId() => $"{NodeId}.{Guid.NewGuid():N}";

    public override ValueTask PublishAsync(BackplaneMessage message, CancellationToken cancellationToken)
    {
        foreach (var other in _broker.Others(this))
        {
            if (message.TargetKind != BackplaneTargetKind.Group || other._listening.ContainsKey(message.Target))
            {
                other._inbox.Writer.TryWrite(message);
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask GroupMembershipChangedAsync(string group)
    {
        lock (_listening)
        {
            if (Node.HasLocalMembers(group))
            {
                _listening[group] = true;
            }
            else
            {
                _listening.TryRemove(group, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask<GroupChangeResult> AddToGroupAsync(string sessionId, string group, CancellationToken cancellationToken) =>
        OwnerOf(sessionId) is { } owner ? owner.Node.AddToGroupAsync(sessionId, group) : new(GroupChangeResult.SessionNotFound);

    public override ValueTask<GroupChangeResult> RemoveFromGroupAsync(string sessionId, string group, CancellationToken cancellationToken) =>
        new(OwnerOf(sessionId) is { } owner ? owner.Node.RemoveFromGroup(sessionId, group) : GroupChangeResult.SessionNotFound);

    public override ValueTask<IReadOnlyList<GroupMember>> GetRemoteMembersAsync(string group, CancellationToken cancellationToken) =>
        new([.. _broker.Others(this).SelectMany(other => other.Node.GetLocalMembers(group))]);

    public override ValueTask<int> CountRemoteAsync(string group, CancellationToken cancellationToken) =>
        new(_broker.Others(this).Sum(other => other.Node.CountLocal(group)));

    private InMemoryBackplane? OwnerOf(string sessionId)
    {
        var dot = sessionId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? _broker.Node(sessionId[..dot]) : null;
    }

    private async Task DeliverInOrderAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync())
        {
            Node.Deliver(message);
        }
    }
}
