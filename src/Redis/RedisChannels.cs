using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

/// <summary>
/// The backplane's channel names: always literal (or sharded), never patterns, whatever a group name contains.
/// <c>{prefix}:group:{name}</c> per group (subscribed while the node has members), <c>{prefix}:all</c> for user and
/// endpoint sends (every node), <c>{prefix}:node:{id}</c> per node (sends to its sessions, requests and answers).
/// </summary>
internal sealed class RedisChannels(string prefix, bool sharded)
{
    public RedisChannel Group(string group) => Make($"{prefix}:group:{group}");

    public RedisChannel All { get; } = Make(sharded, $"{prefix}:all");

    public RedisChannel Node(string nodeId) => Make($"{prefix}:node:{nodeId}");

    private RedisChannel Make(string name) => Make(sharded, name);

    private static RedisChannel Make(bool sharded, string name) => sharded ? RedisChannel.Sharded(name) : RedisChannel.Literal(name);
}
