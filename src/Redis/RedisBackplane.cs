using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

/// <summary>
/// The Redis backplane: groups, users and sessions of several server nodes through Redis pub/sub. Registered by
/// <c>AddRedisBackplane</c>; endpoints keep using <see cref="WebSocketGroups"/>. Read its state here (and through
/// its health check): whether it is connected, and what it counted.
/// </summary>
/// <remarks>
/// <para>
/// Each node delivers to its own sessions directly (never through Redis) and publishes once for the others. A node
/// subscribes <c>{prefix}:group:{name}</c> while it has members of the group, and two channels of its own from the
/// start: <c>{prefix}:node:{id}</c> (sends to its sessions, requests and answers; session ids start with the node id)
/// and <c>{prefix}:all</c> (user and endpoint sends, filtered by each node). Sessions that join no group cost Redis nothing.
/// </para>
/// <para>
/// Every message is numbered per channel by its origin; a receiving node counts the numbers it missed
/// (<see cref="GapsDetected"/>) and logs them. A channel has at most one message publish in flight: what is sent
/// meanwhile goes in the next, as one batch (at most 256 messages or 64 KiB), in order. A publish that cannot reach Redis fails within
/// <see cref="RedisBackplaneOptions.PublishTimeout"/> with a <see cref="WebSocketBackplaneException"/>; the node reconnects and
/// subscribes again by itself when Redis is back, and a periodic probe through Redis renews subscriptions that stopped delivering.
/// </para>
/// </remarks>
public sealed partial class RedisBackplane : WebSocketBackplane, IAsyncDisposable
{
    // More publishing channels than this and the numbering starts over (receivers take a lower number as a restart).
    private const int MaxNumberedChannels = 100_000;

    private readonly RedisBackplaneOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly RedisChannels _channels;
    private readonly int _headerSize;
    private readonly int _batchBytes;
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private readonly Dictionary<string, Subscription> _groupSubscriptions = new(StringComparer.Ordinal);

    // What each channel's receiver knows of the numbers on it; kept across reconnects so that a loss shows as a gap.
    private readonly Dictionary<string, ChannelState> _groupStates = new(StringComparer.Ordinal);
    private readonly ChannelState _nodeState = new();
    private readonly ChannelState _allState = new();
    private readonly ConcurrentDictionary<string, ChannelPublisher> _publishers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, PendingRequest> _pending = new();
    private readonly CancellationTokenSource _stopping = new();
    private Subscription? _nodeSubscription;
    private Subscription? _allSubscription;
    private WebSocketNode? _node;
    private volatile ConnectionMultiplexer? _connection;
    private string? _problem;
    private ITimer? _probeTimer;
    private long _nextRequestId;
    private long _gaps;
    private long _malformed;
    private long _publishFailures;
    private long _renewals;
    private int _probing;

    internal RedisBackplane(RedisBackplaneOptions options, ILogger logger, TimeProvider clock)
    {
        options.Validate();
        _options = options;
        _logger = logger;
        _clock = clock;
        _channels = new RedisChannels(options.ChannelPrefix, options.UseShardedPubSub);
        NodeId = Guid.NewGuid().ToString("N")[..12];
        _headerSize = RedisEnvelope.HeaderSize(NodeId);
        _batchBytes = Math.Min(MaxBatchBytes, options.MaxMessageSize);
        _problem = "The backplane has not connected to Redis yet.";
    }

    /// <summary>This node's id: the start of its session ids and the name of its channel.</summary>
    public string NodeId { get; }

    /// <summary>Whether the node is connected to Redis and listens on its channels (deliveries between nodes work).</summary>
    public bool IsConnected => _connection is { IsConnected: true } && Volatile.Read(ref _nodeSubscription) is not null && Volatile.Read(ref _problem) is null;

    /// <summary>What is wrong while <see cref="IsConnected"/> is false (unreachable, misconfigured, not yet connected); null when nothing is.</summary>
    public string? Problem => IsConnected ? null : Volatile.Read(ref _problem) ?? "Redis is unreachable.";

    /// <summary>Messages from other nodes that this node missed, by the gaps in their numbers, since start.</summary>
    public long GapsDetected => Interlocked.Read(ref _gaps);

    /// <summary>Envelopes on the backplane's channels that were not well-formed (foreign or corrupt): counted and ignored.</summary>
    public long MalformedEnvelopes => Interlocked.Read(ref _malformed);

    /// <summary>
    /// Messages (and requests to other nodes) that could not be published, Redis being unreachable or too slow: counted per
    /// message, so a failed batch of n messages counts n. Each failed with a <see cref="WebSocketBackplaneException"/> to its
    /// caller, unless <see cref="RedisBackplaneOptions.WaitForPublish"/> is off and it failed after the send returned (then it is logged only).
    /// </summary>
    public long PublishFailures => Interlocked.Read(ref _publishFailures);

    /// <summary>How often a probe found the subscriptions silent and the node reconnected and subscribed again.</summary>
    public long SubscriptionRenewals => Interlocked.Read(ref _renewals);

    /// <inheritdoc />
    public override int MaxMessageSize => _options.MaxMessageSize;

    /// <inheritdoc />
    public override void Attach(WebSocketNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (Interlocked.CompareExchange(ref _node, node, null) is not null)
        {
            throw new InvalidOperationException("This Redis backplane serves one node's groups already (one WebSocketGroups per backplane).");
        }
    }

    /// <inheritdoc />
    public override string CreateSessionId() => $"{NodeId}.{Guid.NewGuid():N}";

    /// <inheritdoc />
    public override async ValueTask PublishAsync(BackplaneMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        RedisChannel channel;
        string key;
        switch (message.TargetKind)
        {
            case BackplaneTargetKind.Group:
                channel = _channels.Group(message.Target);
                key = "group:" + message.Target;
                break;
            case BackplaneTargetKind.Session:
                if (OwnerOf(message.Target) is not { } owner || owner == NodeId)
                {
                    return;   // no node has such a session (ours are delivered before the backplane is asked)
                }

                channel = _channels.Node(owner);
                key = "node:" + owner;
                break;
            default:
                channel = _channels.All;
                key = "all";
                break;
        }

        var envelope = new RedisEnvelope(
            EnvelopeType.Message, NodeId, 0, message.TargetKind, message.Target, message.ExceptSessionIds,
            message.Message.Kind, message.Message.Payload).Encode();
        await PublishNumberedAsync(channel, key, envelope, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask GroupMembershipChangedAsync(string group)
    {
        await _subscriptionLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await ReconcileGroupAsync(group).ConfigureAwait(false);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    /// <inheritdoc />
    public override async ValueTask<GroupChangeResult> AddToGroupAsync(string sessionId, string group, CancellationToken cancellationToken) =>
        await ChangeRemoteGroupAsync(EnvelopeType.AddRequest, sessionId, group, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask<GroupChangeResult> RemoveFromGroupAsync(string sessionId, string group, CancellationToken cancellationToken) =>
        await ChangeRemoteGroupAsync(EnvelopeType.RemoveRequest, sessionId, group, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<GroupMember>> GetRemoteMembersAsync(string group, CancellationToken cancellationToken)
    {
        // As a count: the nodes with members answer with theirs (this node with none, WebSocketGroups lists its own).
        var id = (ulong)Interlocked.Increment(ref _nextRequestId);
        var request = new RedisEnvelope(EnvelopeType.MembersRequest, NodeId, 0, RequestId: id, Group: group).Encode();
        var pending = await RequestAsync(_channels.Group(group), id, request, $"listing the members of group '{group}'", cancellationToken).ConfigureAwait(false);
        return pending?.Members ?? [];
    }

    /// <inheritdoc />
    public override async ValueTask<int> CountRemoteAsync(string group, CancellationToken cancellationToken)
    {
        // Only nodes with members listen on the group's channel; each answers with its count (this node with zero,
        // since WebSocketGroups counts its own), and PUBLISH says how many answers to wait for.
        var id = (ulong)Interlocked.Increment(ref _nextRequestId);
        var request = new RedisEnvelope(EnvelopeType.CountRequest, NodeId, 0, RequestId: id, Group: group).Encode();
        var answers = await RequestAsync(_channels.Group(group), id, request, $"counting the members of group '{group}'", cancellationToken).ConfigureAwait(false);
        return (int)Math.Max(0, answers?.Sum ?? 0);
    }

    /// <summary>Stops probing, unsubscribes and closes the connection to Redis.</summary>
    /// <returns>Completes when the connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_probeTimer is { } timer)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var pending in _pending.Values)
        {
            pending.Fail(new WebSocketBackplaneException("The Redis backplane stopped."));
        }
    }

    // The node id a session id starts with ("{node}.{guid}"), or null for an id no Redis node made.
    private static string? OwnerOf(string sessionId)
    {
        var dot = sessionId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? sessionId[..dot] : null;
    }

    private async Task<GroupChangeResult> ChangeRemoteGroupAsync(EnvelopeType type, string sessionId, string group, CancellationToken cancellationToken)
    {
        if (OwnerOf(sessionId) is not { } owner || owner == NodeId)
        {
            return GroupChangeResult.SessionNotFound;
        }

        var id = (ulong)Interlocked.Increment(ref _nextRequestId);
        var request = new RedisEnvelope(type, NodeId, 0, RequestId: id, SessionId: sessionId, Group: group).Encode();
        var what = type == EnvelopeType.AddRequest ? $"adding session {sessionId} to group '{group}'" : $"removing session {sessionId} from group '{group}'";
        var answers = await RequestAsync(_channels.Node(owner), id, request, what, cancellationToken).ConfigureAwait(false);

        // No node listens on the owner's channel: that node is gone, and its sessions with it.
        return answers is { } result ? (GroupChangeResult)result.Sum : GroupChangeResult.SessionNotFound;
    }

    // Publishes a request and waits for as many answers as PUBLISH reached listeners; null when none listened.
    private async Task<PendingRequest?> RequestAsync(RedisChannel channel, ulong id, byte[] request, string what, CancellationToken cancellationToken)
    {
        var pending = new PendingRequest();
        _pending[id] = pending;
        try
        {
            var listeners = await PublishAsync(channel, request, cancellationToken).ConfigureAwait(false);
            if (listeners == 0)
            {
                return null;
            }

            pending.Expect(listeners);
            try
            {
                await pending.Task.WaitAsync(_options.RequestTimeout, _clock, cancellationToken).ConfigureAwait(false);
                return pending;
            }
            catch (TimeoutException ex)
            {
                throw new WebSocketBackplaneException(
                    $"No answer from the other nodes within {_options.RequestTimeout.TotalSeconds:0.###} s (RedisBackplaneOptions.RequestTimeout) while {what}.", ex);
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    // The answers to one request (values summed, member lists joined): complete once as many came as PUBLISH reached listeners.
    private sealed class PendingRequest
    {
        private readonly TaskCompletionSource _answers = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<GroupMember> _members = [];
        private long _expected = long.MaxValue;
        private long _received;
        private long _sum;

        public Task Task => _answers.Task;

        public long Sum
        {
            get
            {
                lock (this)
                {
                    return _sum;
                }
            }
        }

        public IReadOnlyList<GroupMember> Members
        {
            get
            {
                lock (this)
                {
                    return [.. _members];
                }
            }
        }

        public void Expect(long count)
        {
            lock (this)
            {
                _expected = count;
                CompleteIfDone();
            }
        }

        public void Answer(long value, IReadOnlyList<GroupMember>? members)
        {
            lock (this)
            {
                _received++;
                _sum += value;
                _members.AddRange(members ?? []);
                CompleteIfDone();
            }
        }

        public void Fail(Exception error) => _answers.TrySetException(error);

        private void CompleteIfDone()
        {
            if (_received >= _expected)
            {
                _answers.TrySetResult();
            }
        }
    }
}
