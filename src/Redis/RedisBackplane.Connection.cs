using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

// The connection's life: connecting without holding up start-up, subscribing by local membership, coming back after
// an outage, and the probe that catches subscriptions that stopped delivering without an error.
public sealed partial class RedisBackplane
{
    /// <summary>Connects to Redis (called by the host at start). Without <see cref="RedisBackplaneOptions.FailStartupWhenUnreachable"/> it returns at once and connects in the background.</summary>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.FailStartupWhenUnreachable)
        {
            await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (!IsConnected)
            {
                throw new InvalidOperationException($"The Redis backplane could not connect at start-up: {Problem} (RedisBackplaneOptions.FailStartupWhenUnreachable is set).");
            }
        }
        else
        {
            _ = Task.Run(() => ConnectAsync(_stopping.Token), CancellationToken.None);
        }

        if (_options.ProbeInterval > TimeSpan.Zero)
        {
            _probeTimer = _clock.CreateTimer(static state => ((RedisBackplane)state!).Probe(), this, _options.ProbeInterval, _options.ProbeInterval);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(_options.Configuration ?? throw new ArgumentException("RedisBackplaneOptions.Configuration is not set."));
            _options.ConfigureConnection?.Invoke(configuration);
        }
        catch (Exception ex) when (ex is ArgumentException or RedisException or FormatException)
        {
            SetProblem($"The Redis configuration '{_options.Configuration}' is not valid: {ex.Message}");
            Log.Misconfigured(_logger, _options.Configuration, ex.Message);
            return;
        }

        // Keep trying when Redis is not there (the node starts and serves its own sessions); fail commands at once
        // while disconnected and after PublishTimeout otherwise, never queue them for later.
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.AsyncTimeout = (int)_options.PublishTimeout.TotalMilliseconds;
        configuration.SyncTimeout = (int)_options.PublishTimeout.TotalMilliseconds;
        configuration.ClientName ??= $"annotated-websockets-{NodeId}";
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(configuration).WaitAsync(cancellationToken).ConfigureAwait(false);
            connection.ConnectionFailed += OnConnectionFailed;
            connection.ConnectionRestored += OnConnectionRestored;
            if (_stopping.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            _connection = connection;
            if (!connection.IsConnected)
            {
                SetProblem($"Redis at '{_options.Configuration}' is unreachable; the node delivers to its own sessions only and keeps trying.");
                Log.Unreachable(_logger, _options.Configuration);
                return;
            }

            await SubscribeEverythingAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            SetProblem($"The connection to Redis failed ({e.FailureType}): {e.Exception?.Message}");
            Log.ConnectionLost(_logger, e.FailureType.ToString(), e.Exception?.Message);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            Log.ConnectionRestored(_logger);
            _ = Task.Run(SubscribeEverythingAsync, CancellationToken.None);
        }
    }

    // After connecting (or reconnecting): the node's own channels, and every group with local members. What
    // StackExchange.Redis restored by itself is kept (it is already in the table); what failed before is done now.
    private async Task SubscribeEverythingAsync()
    {
        await _subscriptionLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _nodeSubscription ??= await SubscribeAsync(_channels.Node(NodeId), OnNodeMessage).ConfigureAwait(false);
            _allSubscription ??= await SubscribeAsync(_channels.All, OnAllMessage).ConfigureAwait(false);
            var groups = new HashSet<string>(_groupSubscriptions.Keys, StringComparer.Ordinal);
            if (_node is { } node)
            {
                groups.UnionWith(node.GroupsWithLocalMembers);
            }

            foreach (var group in groups)
            {
                await ReconcileGroupAsync(group).ConfigureAwait(false);
            }

            SetProblem(null);
        }
        catch (WebSocketBackplaneException ex)
        {
            SetProblem(ex.Message);
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    // Under the subscription lock: listen on the group's channel exactly while the node has members of it.
    private async Task ReconcileGroupAsync(string group)
    {
        var wanted = _node?.HasLocalMembers(group) == true;
        var subscribed = _groupSubscriptions.TryGetValue(group, out var subscription);
        if (wanted && !subscribed)
        {
            if (!_groupStates.TryGetValue(group, out var state))
            {
                _groupStates[group] = state = new ChannelState();
            }

            _groupSubscriptions[group] = await SubscribeAsync(_channels.Group(group), message => OnGroupMessage(group, state, message)).ConfigureAwait(false);
        }
        else if (!wanted && subscribed)
        {
            _groupSubscriptions.Remove(group);
            _groupStates.Remove(group);
            try
            {
                await subscription!.Queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis is down: the subscription is gone from the client, and the server forgot it with the connection.
            }
        }
    }

    private async Task<Subscription> SubscribeAsync(RedisChannel channel, Action<ChannelMessage> handler)
    {
        var subscriber = (_connection ?? throw new WebSocketBackplaneException("The Redis backplane is not connected.")).GetSubscriber();
        try
        {
            var queue = await subscriber.SubscribeAsync(channel).ConfigureAwait(false);
            queue.OnMessage(handler);   // one message at a time per channel: the order of a channel is kept
            return new Subscription(queue);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The client keeps a subscription it could not send and would restore it after a reconnect, with no one
            // reading it: take it back; SubscribeEverythingAsync subscribes again when Redis is back.
            try
            {
                await subscriber.UnsubscribeAsync(channel, null, CommandFlags.FireAndForget).ConfigureAwait(false);
            }
            catch (Exception cleanup) when (cleanup is RedisException or TimeoutException)
            {
                // Disconnected: removed from the client all the same.
            }

            throw new WebSocketBackplaneException($"Subscribing to Redis channel '{channel}' failed: {ex.Message} (the node subscribes again when Redis is back).", ex);
        }
    }

    // Sends the node a probe through its own channel; a probe that is not back within PublishTimeout means the
    // subscriptions stopped delivering without an error (a failover, a half-open connection): reconnect.
    private void Probe()
    {
        if (_connection is not { IsConnected: true } || _nodeSubscription is null || Interlocked.Exchange(ref _probing, 1) == 1)
        {
            return;   // down (the client reconnects by itself), or the last probe is still out
        }

        _ = ProbeAsync();
    }

    private async Task ProbeAsync()
    {
        var id = (ulong)Interlocked.Increment(ref _nextRequestId);
        var pending = new PendingRequest();
        _pending[id] = pending;
        try
        {
            pending.Expect(1);
            await PublishAsync(_channels.Node(NodeId), new RedisEnvelope(EnvelopeType.Probe, NodeId, 0, RequestId: id).Encode(), _stopping.Token).ConfigureAwait(false);
            await pending.Task.WaitAsync(_options.PublishTimeout, _clock, _stopping.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.ProbeLost(_logger, _options.PublishTimeout);
            await RenewAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketBackplaneException or OperationCanceledException)
        {
            // The publish failed: the connection is down, and the client reconnects by itself.
        }
        finally
        {
            _pending.TryRemove(id, out _);
            Volatile.Write(ref _probing, 0);
        }
    }

    // A new connection and every subscription again; the old connection is closed.
    private async Task RenewAsync()
    {
        await _subscriptionLock.WaitAsync().ConfigureAwait(false);
        ConnectionMultiplexer? old;
        try
        {
            old = Interlocked.Exchange(ref _connection, null);
            _nodeSubscription = null;
            _allSubscription = null;
            _groupSubscriptions.Clear();
        }
        finally
        {
            _subscriptionLock.Release();
        }

        if (old is not null)
        {
            old.ConnectionFailed -= OnConnectionFailed;
            old.ConnectionRestored -= OnConnectionRestored;
            await old.DisposeAsync().ConfigureAwait(false);
        }

        if (!_stopping.IsCancellationRequested)
        {
            await ConnectAsync(_stopping.Token).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _renewals);
    }

    private void SetProblem(string? problem) => Volatile.Write(ref _problem, problem);

    // A channel this node listens on.
    private sealed record Subscription(ChannelMessageQueue Queue);

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "The Redis backplane's configuration '{Configuration}' is not valid: {Problem}. This node delivers to its own sessions only.")]
        public static partial void Misconfigured(ILogger logger, string? configuration, string problem);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Redis at '{Configuration}' is unreachable. This node delivers to its own sessions only and keeps trying.")]
        public static partial void Unreachable(ILogger logger, string? configuration);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "The Redis backplane lost its connection ({FailureType}): {Problem}. Other nodes' messages do not arrive until it is back.")]
        public static partial void ConnectionLost(ILogger logger, string failureType, string? problem);

        [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "The Redis backplane is connected again; it subscribes to its channels again.")]
        public static partial void ConnectionRestored(ILogger logger);

        [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "Publishing to Redis channel {Channel} failed: {Problem}")]
        public static partial void PublishFailed(ILogger logger, string channel, string problem);

        [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "Missed {Missed} message(s) from node {Origin} on Redis channel {Channel} (got number {Sequence}, expected {Expected}).")]
        public static partial void Gap(ILogger logger, long missed, string origin, string channel, ulong sequence, ulong expected);

        [LoggerMessage(EventId = 306, Level = LogLevel.Warning, Message = "Ignored a message on Redis channel {Channel} that is not a backplane envelope ({Length} bytes).")]
        public static partial void Malformed(ILogger logger, string channel, int length);

        [LoggerMessage(EventId = 307, Level = LogLevel.Warning, Message = "The Redis backplane's probe did not come back within {Timeout}: its subscriptions stopped delivering. Reconnecting.")]
        public static partial void ProbeLost(ILogger logger, TimeSpan timeout);

        [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "Handling a request from node {Origin} failed: {Problem}")]
        public static partial void RequestFailed(ILogger logger, string origin, string problem);
    }
}
