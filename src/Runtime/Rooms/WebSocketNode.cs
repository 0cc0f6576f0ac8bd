namespace Annotated.WebSockets;

/// <summary>
/// This node's side of a <see cref="WebSocketBackplane"/>: what messages and requests from other nodes act on. Given to
/// <see cref="WebSocketBackplane.Attach"/>; everything here is about this node's sessions only.
/// </summary>
public sealed class WebSocketNode
{
    private readonly WebSocketGroups _groups;

    internal WebSocketNode(WebSocketGroups groups) => _groups = groups;

    /// <summary>The groups that have members on this node, as of now: those the node must listen for (after a broker reconnect, for instance).</summary>
    public IReadOnlyCollection<string> GroupsWithLocalMembers => _groups.GroupsWithLocalMembers;

    /// <summary>
    /// Delivers what another node published to this node's sessions that it is for: framed once, queued on each
    /// member's send queue without waiting for any (the group's overflow policy applies), in the order of the calls.
    /// </summary>
    /// <param name="message">The message and its target.</param>
    /// <returns>What became of it on this node.</returns>
    public BroadcastResult Deliver(BackplaneMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _groups.DeliverFromBackplane(message);
    }

    /// <summary>Whether an open session of this node has the id <paramref name="sessionId"/>.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <returns>True when the session is this node's.</returns>
    public bool HasSession(string sessionId) => _groups.TryGetLocalSession(sessionId, out _);

    /// <summary>Whether <paramref name="group"/> has members on this node.</summary>
    /// <param name="group">The group.</param>
    /// <returns>True while at least one of this node's sessions is in the group.</returns>
    public bool HasLocalMembers(string group) => _groups.HasLocalMembers(group);

    /// <summary>How many of this node's sessions are in <paramref name="group"/>.</summary>
    /// <param name="group">The group.</param>
    /// <returns>The count (zero for an unknown group).</returns>
    public int CountLocal(string group) => _groups.CountLocal(group);

    /// <summary>This node's members of <paramref name="group"/>, as of now.</summary>
    /// <param name="group">The group.</param>
    /// <returns>Their session and user ids (empty for an unknown group).</returns>
    public IReadOnlyList<GroupMember> GetLocalMembers(string group) => _groups.GetLocalMemberIds(group);

    /// <summary>Adds this node's session <paramref name="sessionId"/> to <paramref name="group"/> (another node asked); completes when this node listens for the group.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="group">The group.</param>
    /// <returns>What was done; <see cref="GroupChangeResult.SessionNotFound"/> when the session is not this node's.</returns>
    /// <exception cref="InvalidOperationException">The session is in the most groups allowed already.</exception>
    public ValueTask<GroupChangeResult> AddToGroupAsync(string sessionId, string group) =>
        _groups.TryGetLocalSession(sessionId, out var session) ? _groups.AddLocalAsync(session, group) : new(GroupChangeResult.SessionNotFound);

    /// <summary>Removes this node's session <paramref name="sessionId"/> from <paramref name="group"/> (another node asked).</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="group">The group.</param>
    /// <returns>What was done; <see cref="GroupChangeResult.SessionNotFound"/> when the session is not this node's.</returns>
    public GroupChangeResult RemoveFromGroup(string sessionId, string group)
    {
        if (!_groups.TryGetLocalSession(sessionId, out var session))
        {
            return GroupChangeResult.SessionNotFound;
        }

        return _groups.Remove(session, group) ? GroupChangeResult.Changed : GroupChangeResult.Unchanged;
    }
}
