using System.Collections.Concurrent;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets;

/// <summary>
/// Groups of sessions and sends to many: to a group (optionally except some sessions), to every session of a user, of
/// an endpoint, or to one session by id. A message is encoded and framed once (<see cref="PreparedMessage"/>) and put
/// on each member's bounded send queue; a broadcast never waits for any member's socket, so a member that stops
/// reading holds up no one (<see cref="GroupOverflowPolicy"/> says what it gets instead). Get it from the services on
/// the server, or from <c>WebSocketContainer.Groups</c> on the client.
/// </summary>
/// <remarks>
/// <para>
/// Membership is by name: a session may be in many groups (at most <see cref="WebSocketGroupOptions.MaxGroupsPerSession"/>),
/// and a closing session leaves all of them by itself, before its <c>OnClose</c> runs, so a broadcast from
/// <c>OnClose</c> no longer reaches it. Sending to an unknown or empty group is not an error: it reaches no one, and
/// the result says so.
/// </para>
/// <para>
/// Delivery is at most once. The messages one caller sends to one group reach each member in the order they were
/// sent (each member's queue is first in, first out); across groups, and between group, user and session sends, no
/// order is promised.
/// </para>
/// <para>
/// On one node everything is local. With a <see cref="WebSocketBackplane"/> registered (several nodes), a send
/// reaches this node's members directly and is published once for the other nodes; <see cref="AddAsync"/>,
/// <see cref="RemoveAsync"/> and <see cref="CountAsync"/> reach sessions and members on every node, while
/// <see cref="Add"/>, <see cref="Remove"/>, <see cref="CountLocal"/> and <see cref="GetLocalMembers"/> are this node's.
/// A <see cref="BroadcastResult"/> counts this node's members.
/// </para>
/// </remarks>
public sealed class WebSocketGroups
{
    private readonly WebSocketGroupOptions _options;
    private readonly IWebSocketUserIdProvider _userIds;
    private readonly ConcurrentDictionary<string, Members> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Members> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Members> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, EngineWebSocketSession> _sessionsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<EngineWebSocketSession, Membership> _memberships = new();
    private readonly ConcurrentDictionary<string, GroupOverflowPolicy> _groupPolicies = new(StringComparer.Ordinal);
    private readonly WebSocketBackplane? _backplane;

    internal WebSocketGroups(WebSocketGroupOptions options, IWebSocketUserIdProvider userIds, WebSocketBackplane? backplane = null)
    {
        _options = options;
        _userIds = userIds;
        _backplane = backplane;
        backplane?.Attach(new WebSocketNode(this));
    }

    /// <summary>Adds <paramref name="session"/> to <paramref name="group"/>; adding it again does nothing.</summary>
    /// <returns>True when it was added; false when it was a member already, or is closing (it then joins nothing).</returns>
    /// <exception cref="ArgumentException">The group name is empty or longer than <see cref="WebSocketGroupOptions.MaxGroupNameLength"/>.</exception>
    /// <exception cref="InvalidOperationException">The session is in <see cref="WebSocketGroupOptions.MaxGroupsPerSession"/> groups already.</exception>
    public bool Add(WebSocketSession session, string group)
    {
        ArgumentNullException.ThrowIfNull(session);
        CheckName(group);
        if (session is not EngineWebSocketSession engineSession || !_memberships.TryGetValue(engineSession, out var membership))
        {
            return false;
        }

        lock (membership)
        {
            if (membership.Closed || membership.Groups.Contains(group))
            {
                return false;
            }

            if (membership.Groups.Count >= _options.MaxGroupsPerSession)
            {
                throw new InvalidOperationException(
                    $"Session {session.Id} is in {membership.Groups.Count} groups, the most allowed (WebSocketGroupOptions.MaxGroupsPerSession); it cannot join '{group}'.");
            }

            membership.Groups.Add(group);
            if (Join(_groups, group, engineSession))
            {
                MembershipChanged(group);
            }

            return true;
        }
    }

    /// <summary>Removes <paramref name="session"/> from <paramref name="group"/>; does nothing when it is not a member.</summary>
    /// <returns>True when it was a member.</returns>
    public bool Remove(WebSocketSession session, string group)
    {
        ArgumentNullException.ThrowIfNull(session);
        CheckName(group);
        if (session is not EngineWebSocketSession engineSession || !_memberships.TryGetValue(engineSession, out var membership))
        {
            return false;
        }

        lock (membership)
        {
            if (!membership.Groups.Remove(group))
            {
                return false;
            }

            if (Leave(_groups, group, engineSession))
            {
                MembershipChanged(group);
            }

            return true;
        }
    }

    /// <summary>
    /// Adds the session <paramref name="sessionId"/> to <paramref name="group"/>, on whichever node has it. Completes
    /// when the member gets the group's messages from every node (its node listens for the group).
    /// </summary>
    /// <returns>
    /// <see cref="GroupChangeResult.Changed"/> when it joined, <see cref="GroupChangeResult.Unchanged"/> when it was a
    /// member already or is closing, <see cref="GroupChangeResult.SessionNotFound"/> when no node has an open session with that id.
    /// </returns>
    /// <exception cref="ArgumentException">The group name is empty or too long.</exception>
    /// <exception cref="InvalidOperationException">The session is in <see cref="WebSocketGroupOptions.MaxGroupsPerSession"/> groups already.</exception>
    /// <exception cref="WebSocketBackplaneException">The session is another node's, and the backplane got no answer in time.</exception>
    public async ValueTask<GroupChangeResult> AddAsync(string sessionId, string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        CheckName(group);
        if (_sessionsById.TryGetValue(sessionId, out var session))
        {
            return await AddLocalAsync(session, group).ConfigureAwait(false);
        }

        return _backplane is null
            ? GroupChangeResult.SessionNotFound
            : await _backplane.AddToGroupAsync(sessionId, group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the session <paramref name="sessionId"/> from <paramref name="group"/>, on whichever node has it.</summary>
    /// <returns>
    /// <see cref="GroupChangeResult.Changed"/> when it left, <see cref="GroupChangeResult.Unchanged"/> when it was not a
    /// member, <see cref="GroupChangeResult.SessionNotFound"/> when no node has an open session with that id.
    /// </returns>
    /// <exception cref="ArgumentException">The group name is empty or too long.</exception>
    /// <exception cref="WebSocketBackplaneException">The session is another node's, and the backplane got no answer in time.</exception>
    public ValueTask<GroupChangeResult> RemoveAsync(string sessionId, string group, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        CheckName(group);
        if (_sessionsById.TryGetValue(sessionId, out var session))
        {
            return new(Remove(session, group) ? GroupChangeResult.Changed : GroupChangeResult.Unchanged);
        }

        return _backplane is null
            ? new(GroupChangeResult.SessionNotFound)
            : _backplane.RemoveFromGroupAsync(sessionId, group, cancellationToken);
    }

    /// <summary>The groups <paramref name="session"/> is in.</summary>
    public IReadOnlyCollection<string> GroupsOf(WebSocketSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session is EngineWebSocketSession engineSession && _memberships.TryGetValue(engineSession, out var membership))
        {
            lock (membership)
            {
                return [.. membership.Groups];
            }
        }

        return [];
    }

    /// <summary>How many sessions of this node are in <paramref name="group"/>.</summary>
    public int CountLocal(string group)
    {
        CheckName(group);
        return _groups.TryGetValue(group, out var members) ? members.Snapshot().Length : 0;
    }

    /// <summary>How many sessions are in <paramref name="group"/> over every node (this node's alone without a <see cref="WebSocketBackplane"/>).</summary>
    /// <exception cref="WebSocketBackplaneException">The backplane got no answer from every node in time.</exception>
    public async ValueTask<int> CountAsync(string group, CancellationToken cancellationToken = default)
    {
        var local = CountLocal(group);
        return _backplane is null ? local : local + await _backplane.CountRemoteAsync(group, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The members of <paramref name="group"/> on every node (this node's alone without a <see cref="WebSocketBackplane"/>):
    /// their session ids and user ids, this node's first.
    /// </summary>
    /// <exception cref="WebSocketBackplaneException">The backplane got no answer from every node in time.</exception>
    public async ValueTask<IReadOnlyList<GroupMember>> GetMembersAsync(string group, CancellationToken cancellationToken = default)
    {
        var local = GetLocalMemberIds(group);
        if (_backplane is null)
        {
            return local;
        }

        var remote = await _backplane.GetRemoteMembersAsync(group, cancellationToken).ConfigureAwait(false);
        return [.. local, .. remote];
    }

    /// <summary>The sessions of this node in <paramref name="group"/>, as of now.</summary>
    public IReadOnlyCollection<WebSocketSession> GetLocalMembers(string group)
    {
        CheckName(group);
        return _groups.TryGetValue(group, out var members) ? members.Snapshot() : [];
    }

    /// <summary>Sets what a broadcast to <paramref name="group"/> does for a member whose queue is full (it wins over the endpoint's and the default policy).</summary>
    public void SetOverflowPolicy(string group, GroupOverflowPolicy policy)
    {
        CheckName(group);
        _groupPolicies[group] = policy;
    }

    /// <summary>Queues <paramref name="message"/> on every member of <paramref name="group"/>.</summary>
    /// <returns>What became of it per member; completes once every member has it queued (or dropped).</returns>
    public ValueTask<BroadcastResult> SendToGroupAsync(string group, PreparedMessage message, CancellationToken cancellationToken = default) =>
        SendToGroupExceptAsync(group, message, [], cancellationToken);

    /// <summary>Queues <paramref name="message"/> on every member of <paramref name="group"/> but <paramref name="except"/> (typically the sender).</summary>
    public ValueTask<BroadcastResult> SendToGroupExceptAsync(string group, PreparedMessage message, WebSocketSession except, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(except);
        return SendToGroupExceptAsync(group, message, [except.Id], cancellationToken);
    }

    /// <summary>Queues <paramref name="message"/> on every member of <paramref name="group"/> whose id is not in <paramref name="exceptSessionIds"/>.</summary>
    public ValueTask<BroadcastResult> SendToGroupExceptAsync(string group, PreparedMessage message, IReadOnlyCollection<string> exceptSessionIds, CancellationToken cancellationToken = default)
    {
        CheckName(group);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(exceptSessionIds);
        cancellationToken.ThrowIfCancellationRequested();
        CheckSize(message);
        var local = DeliverToGroup(group, message, exceptSessionIds);
        return _backplane is null ? new(local) : PublishAsync(local, new(BackplaneTargetKind.Group, group, exceptSessionIds, message), cancellationToken);
    }

    /// <summary>Queues <paramref name="message"/> on every session of the user <paramref name="userId"/> (see <see cref="IWebSocketUserIdProvider"/>).</summary>
    public ValueTask<BroadcastResult> SendToUserAsync(string userId, PreparedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        CheckSize(message);
        var local = Deliver(_users.GetValueOrDefault(userId), message, [], null);
        return _backplane is null ? new(local) : PublishAsync(local, new(BackplaneTargetKind.User, userId, [], message), cancellationToken);
    }

    /// <summary>Queues <paramref name="message"/> on every session of the endpoint deployed at <paramref name="path"/> (its path template, e.g. <c>"/chat/{room}"</c>).</summary>
    public ValueTask<BroadcastResult> SendToEndpointAsync(string path, PreparedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        CheckSize(message);
        var local = Deliver(_endpoints.GetValueOrDefault(path), message, [], null);
        return _backplane is null ? new(local) : PublishAsync(local, new(BackplaneTargetKind.Endpoint, path, [], message), cancellationToken);
    }

    /// <summary>Queues <paramref name="message"/> on the session whose <see cref="WebSocketSession.Id"/> is <paramref name="sessionId"/>.</summary>
    public ValueTask<BroadcastResult> SendToSessionAsync(string sessionId, PreparedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        CheckSize(message);
        if (_sessionsById.TryGetValue(sessionId, out var session))
        {
            return new(Offer(session, message, null));
        }

        return _backplane is null ? default : PublishAsync(default, new(BackplaneTargetKind.Session, sessionId, [], message), cancellationToken);
    }

    /// <summary>Encodes <paramref name="text"/> once and queues it on every member of <paramref name="group"/>.</summary>
    public ValueTask<BroadcastResult> SendToGroupAsync(string group, string text, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(group, PreparedMessage.FromText(text), cancellationToken);

    /// <summary>Encodes <paramref name="value"/> as JSON once and queues it on every member of <paramref name="group"/>.</summary>
    /// <exception cref="EncodeException">The value could not be serialized; nothing was queued.</exception>
    public ValueTask<BroadcastResult> SendToGroupAsync<T>(string group, T value, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(group, PreparedMessage.FromJson(value, typeInfo), cancellationToken);

    // A new session's id: the backplane's, which may route by it, or a random one.
    internal string CreateSessionId() => _backplane?.CreateSessionId() ?? Guid.NewGuid().ToString("N");

    // What another node published for this node's sessions.
    internal BroadcastResult DeliverFromBackplane(BackplaneMessage message) => message.TargetKind switch
    {
        BackplaneTargetKind.Group => DeliverToGroup(message.Target, message.Message, message.ExceptSessionIds),
        BackplaneTargetKind.User => Deliver(_users.GetValueOrDefault(message.Target), message.Message, [], null),
        BackplaneTargetKind.Endpoint => Deliver(_endpoints.GetValueOrDefault(message.Target), message.Message, [], null),
        BackplaneTargetKind.Session => _sessionsById.TryGetValue(message.Target, out var session) ? Offer(session, message.Message, null) : default,
        _ => default,
    };

    internal async ValueTask<GroupChangeResult> AddLocalAsync(EngineWebSocketSession session, string group)
    {
        if (!Add(session, group))
        {
            return GroupChangeResult.Unchanged;
        }

        if (_backplane is not null)
        {
            // Even when another member made the node listen, that may still be under way: wait until it is done.
            await _backplane.GroupMembershipChangedAsync(group).ConfigureAwait(false);
        }

        return GroupChangeResult.Changed;
    }

    internal bool TryGetLocalSession(string sessionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EngineWebSocketSession? session) =>
        _sessionsById.TryGetValue(sessionId, out session);

    internal IReadOnlyList<GroupMember> GetLocalMemberIds(string group)
    {
        CheckName(group);
        if (!_groups.TryGetValue(group, out var members))
        {
            return [];
        }

        var sessions = members.Snapshot();
        var result = new GroupMember[sessions.Length];
        for (var i = 0; i < sessions.Length; i++)
        {
            result[i] = new GroupMember(sessions[i].Id, _memberships.TryGetValue(sessions[i], out var membership) ? membership.UserId : null);
        }

        return result;
    }

    internal bool HasLocalMembers(string group) => _groups.ContainsKey(group);

    internal IReadOnlyCollection<string> GroupsWithLocalMembers => [.. _groups.Keys];

    // A session of this node opened: it is addressable by id, user and endpoint from now on.
    internal void SessionOpened(EngineWebSocketSession session)
    {
        var userId = _userIds.GetUserId(session);
        var membership = new Membership(userId, session.Config.DeployedPath);
        if (!_memberships.TryAdd(session, membership))
        {
            return;
        }

        _sessionsById[session.Id] = session;
        Join(_endpoints, membership.EndpointPath, session);
        if (userId is not null)
        {
            Join(_users, userId, session);
        }
    }

    // A session is closing: it leaves every group exactly once, before its OnClose runs, and joins none after.
    internal void SessionClosing(EngineWebSocketSession session)
    {
        if (!_memberships.TryRemove(session, out var membership))
        {
            return;
        }

        lock (membership)
        {
            membership.Closed = true;
            foreach (var group in membership.Groups)
            {
                if (Leave(_groups, group, session))
                {
                    MembershipChanged(group);
                }
            }

            membership.Groups.Clear();
        }

        _sessionsById.TryRemove(new KeyValuePair<string, EngineWebSocketSession>(session.Id, session));
        Leave(_endpoints, membership.EndpointPath, session);
        if (membership.UserId is { } userId)
        {
            Leave(_users, userId, session);
        }
    }

    private BroadcastResult DeliverToGroup(string group, PreparedMessage message, IReadOnlyCollection<string> except)
    {
        var policy = _groupPolicies.TryGetValue(group, out var set) ? set : (GroupOverflowPolicy?)null;
        return Deliver(_groups.GetValueOrDefault(group), message, except, policy);
    }

    // The local members have it; the other nodes get it through the backplane, which is waited for only when it has to.
    private ValueTask<BroadcastResult> PublishAsync(BroadcastResult local, BackplaneMessage message, CancellationToken cancellationToken)
    {
        var published = _backplane!.PublishAsync(message, cancellationToken);
        if (published.IsCompletedSuccessfully)
        {
            published.GetAwaiter().GetResult();
            return new(local);
        }

        return AwaitPublishedAsync(published, local);

        static async ValueTask<BroadcastResult> AwaitPublishedAsync(ValueTask published, BroadcastResult local)
        {
            await published.ConfigureAwait(false);
            return local;
        }
    }

    // The group's local member set went from empty to not or back: the backplane listens for it exactly while it has
    // local members. Sync callers do not wait; the backplane logs and retries what fails.
    private void MembershipChanged(string group)
    {
        if (_backplane is null)
        {
            return;
        }

        var changed = _backplane.GroupMembershipChangedAsync(group);
        if (changed.IsCompletedSuccessfully)
        {
            changed.GetAwaiter().GetResult();
            return;
        }

        _ = ObserveAsync(changed);

        static async Task ObserveAsync(ValueTask changed)
        {
            try
            {
                await changed.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Reported by the backplane, which keeps trying; AddAsync callers see the failure themselves.
            }
        }
    }

    private BroadcastResult Deliver(Members? members, PreparedMessage message, IReadOnlyCollection<string> except, GroupOverflowPolicy? policy)
    {
        if (members is null)
        {
            return default;
        }

        var result = default(BroadcastResult);
        foreach (var session in members.Snapshot())
        {
            if (except.Count > 0 && except.Contains(session.Id))
            {
                continue;
            }

            result = result.Add(Offer(session, message, policy));
        }

        return result;
    }

    private BroadcastResult Offer(EngineWebSocketSession session, PreparedMessage message, GroupOverflowPolicy? groupPolicy)
    {
        switch (session.TryQueue(message))
        {
            case SendQueueResult.Queued:
                return new(1, 0, 0);
            case SendQueueResult.Closed:
                return new(0, 0, 1);
        }

        if ((groupPolicy ?? PolicyOf(session)) == GroupOverflowPolicy.Drop)
        {
            session.Telemetry?.MessageDropped("queue_full");
            return new(0, 1, 0);
        }

        // Close: the message waits in the member's queue (in order, behind what is there); the broadcast does not wait
        // for it. A peer that takes nothing for SendQueueTimeout is closed by the send watchdog with its close code.
        _ = WaitInQueueAsync(session, message);
        return new(1, 0, 0);
    }

    private static async Task WaitInQueueAsync(EngineWebSocketSession session, PreparedMessage message)
    {
        try
        {
            await session.SendPreparedAsync(message, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The member closed (or was closed for not reading) meanwhile: at most once, so it goes without.
        }
    }

    private GroupOverflowPolicy PolicyOf(EngineWebSocketSession session) =>
        _options.EndpointOverflowPolicy.TryGetValue(session.Config.DeployedPath, out var policy) ? policy : _options.OverflowPolicy;

    // A message the backplane cannot carry is refused before anyone gets it, so that every node sees the same sends.
    private void CheckSize(PreparedMessage message)
    {
        if (_backplane is not null && message.Length > _backplane.MaxMessageSize)
        {
            throw new ArgumentException(
                $"The message has {message.Length} bytes; the backplane carries at most {_backplane.MaxMessageSize} (WebSocketBackplane.MaxMessageSize). Nothing was sent.",
                nameof(message));
        }
    }

    private void CheckName(string group)
    {
        ArgumentException.ThrowIfNullOrEmpty(group);
        if (group.Length > _options.MaxGroupNameLength)
        {
            throw new ArgumentException(
                $"A group name has at most {_options.MaxGroupNameLength} characters (WebSocketGroupOptions.MaxGroupNameLength); this one has {group.Length}.",
                nameof(group));
        }
    }

    // True when the session is the first member of a new set (the name now has members on this node).
    private static bool Join(ConcurrentDictionary<string, Members> index, string key, EngineWebSocketSession session)
    {
        bool first;
        while (!index.GetOrAdd(key, static _ => new Members()).TryAdd(session, out first))
        {
            // That set emptied and left the index meanwhile: add to its successor.
        }

        return first;
    }

    // True when the session was the last member (the name has no members on this node now).
    private static bool Leave(ConcurrentDictionary<string, Members> index, string key, EngineWebSocketSession session)
    {
        if (index.TryGetValue(key, out var members) && members.Remove(session))
        {
            // Empty: it leaves the index, and a late joiner retries on a new one (Members.TryAdd refuses a retired set).
            index.TryRemove(new KeyValuePair<string, Members>(key, members));
            return true;
        }

        return false;
    }

    // One session's groups and what it is indexed under; locked while it joins, leaves or closes.
    private sealed class Membership(string? userId, string endpointPath)
    {
        public string? UserId { get; } = userId;

        public string EndpointPath { get; } = endpointPath;

        public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

        public bool Closed { get; set; }
    }

    // The sessions under one name; broadcasts read a copy made once per change, so they take no lock.
    private sealed class Members
    {
        private readonly HashSet<EngineWebSocketSession> _sessions = [];
        private EngineWebSocketSession[]? _snapshot;
        private bool _retired;

        public bool TryAdd(EngineWebSocketSession session, out bool first)
        {
            lock (_sessions)
            {
                first = false;
                if (_retired)
                {
                    return false;
                }

                if (_sessions.Add(session))
                {
                    _snapshot = null;
                    first = _sessions.Count == 1;
                }

                return true;
            }
        }

        // True when the set is now empty and retired (the caller takes it out of the index).
        public bool Remove(EngineWebSocketSession session)
        {
            lock (_sessions)
            {
                if (_sessions.Remove(session))
                {
                    _snapshot = null;
                }

                _retired = _sessions.Count == 0;
                return _retired;
            }
        }

        public EngineWebSocketSession[] Snapshot()
        {
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot is not null)
            {
                return snapshot;
            }

            lock (_sessions)
            {
                return _snapshot ??= [.. _sessions];
            }
        }
    }
}
