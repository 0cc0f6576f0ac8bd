using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

/// <summary>How the Redis backplane connects, names its channels, and how long it waits.</summary>
public sealed class RedisBackplaneOptions
{
    /// <summary>The StackExchange.Redis configuration string, for example <c>"127.0.0.1:6379"</c> or <c>"redis1:6379,redis2:6379,password=…"</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Changes the connection settings parsed from <see cref="Configuration"/> (TLS, credentials, …) before the backplane connects.</summary>
    public Action<ConfigurationOptions>? ConfigureConnection { get; set; }

    /// <summary>
    /// The start of every channel name, so that applications sharing one Redis do not hear each other. Default
    /// <c>"annotated-websockets"</c>; channels are <c>{prefix}:group:{name}</c>, <c>{prefix}:all</c> and <c>{prefix}:node:{id}</c>.
    /// </summary>
    public string ChannelPrefix { get; set; } = "annotated-websockets";

    /// <summary>
    /// Uses sharded pub/sub (<c>SSUBSCRIBE</c>/<c>SPUBLISH</c>, Redis 7 or later) so that on a Redis Cluster a channel's
    /// messages stay in the shard that owns it instead of reaching every cluster node. Off by default.
    /// </summary>
    public bool UseShardedPubSub { get; set; }

    /// <summary>How long a publish or a subscription may wait for Redis before it fails with a <see cref="WebSocketBackplaneException"/>. Default 1 second.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a request to other nodes (adding a remote session to a group, counting a group) waits for their answers. Default 5 seconds.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the node sends itself a probe through Redis to prove that its subscriptions still deliver; a probe that
    /// does not come back within <see cref="PublishTimeout"/> makes the node reconnect and subscribe again. Default 10
    /// seconds; <see cref="TimeSpan.Zero"/> turns probing off.
    /// </summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest message payload, in bytes, the backplane carries; a bigger send is refused before anyone gets it. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Whether a send to other nodes waits for Redis to answer its publish. Default true: the send's task completes when
    /// Redis took the message and fails with a <see cref="WebSocketBackplaneException"/> when it did not (unreachable, or
    /// no answer within twice <see cref="PublishTimeout"/>), so the caller knows whether the other nodes can have it;
    /// each message is then published at once, pipelined with other senders' publishes on the connection.
    /// </summary>
    /// <remarks>
    /// <para>
    /// False: messages are batched (one publish in flight per channel; what is sent meanwhile goes together in the next)
    /// and the send completes as soon as the message is numbered and queued (handed to the connection, or added to its
    /// channel's batch behind the publish in flight). The caller gives up knowing the outcome: its task no longer says
    /// whether the other nodes got the message. A publish that fails afterwards is counted in
    /// <see cref="RedisBackplane.PublishFailures"/>, logged (event 304) and shows as a gap on the receiving nodes
    /// (<see cref="RedisBackplane.GapsDetected"/>), and is thrown at no one. A send while the connection is down still
    /// fails at once with a <see cref="WebSocketBackplaneException"/>, so an outage is still seen by the sender.
    /// </para>
    /// <para>
    /// What it gains: a sender's next message does not wait a Redis round trip (no wake-up for each reply on the sending
    /// path), and while one publish of a channel is in flight the next messages of that channel go together in one. Order is unchanged. Nothing then limits how many publishes a fast
    /// sender has in flight but Redis's own pace and <see cref="PublishTimeout"/>.
    /// </para>
    /// </remarks>
    public bool WaitForPublish { get; set; } = true;

    /// <summary>
    /// Fails application start-up when Redis cannot be reached (or the configuration is invalid). Off by default: the
    /// node starts, delivers to its own sessions, logs and reports (health check) the problem, and connects when Redis is there.
    /// </summary>
    public bool FailStartupWhenUnreachable { get; set; }

    /// <summary>Checks the options; called once when the backplane starts.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ChannelPrefix))
        {
            throw new ArgumentException("RedisBackplaneOptions.ChannelPrefix must not be empty.");
        }

        if (PublishTimeout <= TimeSpan.Zero || PublishTimeout > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentOutOfRangeException(nameof(PublishTimeout), PublishTimeout, "RedisBackplaneOptions.PublishTimeout must be above zero and at most one minute.");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RedisBackplaneOptions.RequestTimeout must be above zero and at most five minutes.");
        }

        if (ProbeInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProbeInterval), ProbeInterval, "RedisBackplaneOptions.ProbeInterval must not be negative (zero turns probing off).");
        }

        if (MaxMessageSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize, "RedisBackplaneOptions.MaxMessageSize must be above zero.");
        }
    }
}
