namespace Annotated.WebSockets;

/// <summary>
/// Delivery to the other nodes of an application that runs on several servers: what <see cref="WebSocketGroups"/>
/// hands on after it has delivered to the members on this node. Register one implementation as a singleton service
/// (for example with <c>AddRedisBackplane</c> from the <c>Annotated.WebSockets.Redis</c> package); without one, the
/// groups are this node's alone.
/// </summary>
/// <remarks>
/// <para>
/// The runtime delivers to local members itself and never through the backplane, so a broker outage costs only the
/// other nodes' deliveries. An implementation publishes each message once for the other nodes, ignores its own
/// messages when they come back, and hands what other nodes publish to <see cref="WebSocketNode.Deliver"/>, which
/// frames it once for every local member. It must keep the order of the messages it is given per
/// <see cref="BackplaneMessage.Target"/>: messages of one sender to one group reach every member on every node in order.
/// </para>
/// <para>
/// Membership is by name: the runtime tells the backplane when a group's local member set may have changed between
/// empty and not empty (<see cref="GroupMembershipChangedAsync"/>), so that a node listens only for the groups it has
/// members of, and sessions that join no group cost the broker nothing.
/// </para>
/// </remarks>
public abstract class WebSocketBackplane
{
    /// <summary>Makes a backplane.</summary>
    protected WebSocketBackplane()
    {
    }

    /// <summary>
    /// Called once, when the node's <see cref="WebSocketGroups"/> is made, with the node's side of the backplane: where
    /// messages and requests from other nodes are delivered.
    /// </summary>
    /// <param name="node">This node's sessions and groups.</param>
    public abstract void Attach(WebSocketNode node);

    /// <summary>
    /// A new, unique session id for a session of this node (its <see cref="WebSocketSession.Id"/>). An implementation
    /// that routes by session id puts this node's identity in it; the default is a random 32-digit hex string.
    /// </summary>
    /// <returns>The id: unique across every node, and never reused.</returns>
    public virtual string CreateSessionId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// The largest payload, in bytes, the backplane carries. <see cref="WebSocketGroups"/> refuses a bigger message
    /// with an <see cref="ArgumentException"/> before any member, local or remote, gets it. No limit by default.
    /// </summary>
    public virtual int MaxMessageSize => int.MaxValue;

    /// <summary>
    /// Publishes <paramref name="message"/> once for every other node. Called after the local members have it; returns
    /// once the message is handed to the broker, without waiting for any remote member.
    /// </summary>
    /// <param name="message">The message and its target.</param>
    /// <param name="cancellationToken">Stops waiting for the broker.</param>
    /// <returns>Completes when the message is published.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached within the implementation's bounded time.</exception>
    public abstract ValueTask PublishAsync(BackplaneMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The local member set of <paramref name="group"/> may have changed between empty and not empty: bring this node's
    /// subscription in line with <see cref="WebSocketNode.HasLocalMembers"/> (listen for the group's messages while it
    /// has local members, stop after). Called after each such change, possibly concurrently and for changes that
    /// cancelled out; an implementation reads the current state rather than counting calls. Never throws for a sync
    /// caller's sake: the returned task carries the failure.
    /// </summary>
    /// <param name="group">The group.</param>
    /// <returns>Completes when this node listens for the group exactly if it has local members.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached within the implementation's bounded time (the implementation keeps trying).</exception>
    public abstract ValueTask GroupMembershipChangedAsync(string group);

    /// <summary>Adds the session <paramref name="sessionId"/>, which is not this node's, to <paramref name="group"/> on the node that has it.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>What the owning node did; <see cref="GroupChangeResult.SessionNotFound"/> when no node has the session.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached, or no answer came within the implementation's timeout.</exception>
    public abstract ValueTask<GroupChangeResult> AddToGroupAsync(string sessionId, string group, CancellationToken cancellationToken);

    /// <summary>Removes the session <paramref name="sessionId"/>, which is not this node's, from <paramref name="group"/> on the node that has it.</summary>
    /// <param name="sessionId">The session's id.</param>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    /// <returns>What the owning node did; <see cref="GroupChangeResult.SessionNotFound"/> when no node has the session.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached, or no answer came within the implementation's timeout.</exception>
    public abstract ValueTask<GroupChangeResult> RemoveFromGroupAsync(string sessionId, string group, CancellationToken cancellationToken);

    /// <summary>The members <paramref name="group"/> has on the other nodes.</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Stops waiting for the answers.</param>
    /// <returns>The other nodes' members, in no particular order.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached, or not every node with members answered within the implementation's timeout.</exception>
    public abstract ValueTask<IReadOnlyList<GroupMember>> GetRemoteMembersAsync(string group, CancellationToken cancellationToken);

    /// <summary>How many members <paramref name="group"/> has on the other nodes.</summary>
    /// <param name="group">The group.</param>
    /// <param name="cancellationToken">Stops waiting for the answers.</param>
    /// <returns>The sum of the other nodes' local counts.</returns>
    /// <exception cref="WebSocketBackplaneException">The broker could not be reached, or not every node with members answered within the implementation's timeout.</exception>
    public abstract ValueTask<int> CountRemoteAsync(string group, CancellationToken cancellationToken);
}
