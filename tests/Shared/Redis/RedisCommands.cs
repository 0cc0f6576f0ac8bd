using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// A minimal Redis client over one raw TCP connection (RESP2), independent of StackExchange.Redis so that tests can
/// observe a server apart from the code under test. Commands are serialized (one request, one reply at a time).
/// <see cref="ExecuteAsync(string[])"/> connects when there is no live connection; a connection that fails or times out
/// is dropped and the error thrown, so the next command starts on a fresh one (nothing is retried silently).
/// For a subscriber: <c>ExecuteAsync("SUBSCRIBE", "ch")</c> returns the first confirmation, and
/// <see cref="ReadReplyAsync"/> / <see cref="TryReadReplyAsync"/> read what the server pushes afterwards
/// (further confirmations of a multi-channel SUBSCRIBE, then <c>["message", channel, payload]</c> arrays).
/// </summary>
public sealed class RedisCommands : IAsyncDisposable
{
    /// <summary>How long a command or a read waits unless told otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Connection? _connection;
    private bool _disposed;

    /// <summary>A client of 127.0.0.1:<paramref name="port"/>; it connects on its first command.</summary>
    public RedisCommands(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>Whether a connection is open (it may still have been closed by the server without our knowing).</summary>
    public bool IsConnected => _connection is not null;

    /// <summary>A client connected to 127.0.0.1:<paramref name="port"/> now (throws <see cref="SocketException"/> when refused).</summary>
    public static async Task<RedisCommands> ConnectAsync(int port, CancellationToken cancellationToken = default)
    {
        var commands = new RedisCommands(port);
        try
        {
            await commands._gate.WaitAsync(cancellationToken);
            try
            {
                await commands.EnsureConnectedAsync(cancellationToken);
            }
            finally
            {
                commands._gate.Release();
            }

            return commands;
        }
        catch
        {
            await commands.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends one command and returns the next reply (an error reply is returned, not thrown). On a subscriber that has
    /// unread messages, the next reply is the oldest of them, not the answer to this command: read them first.
    /// </summary>
    public Task<RedisReply> ExecuteAsync(params string[] args) =>
        ExecuteAsync(args.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a)).ToArray(), DefaultTimeout, CancellationToken.None);

    /// <summary>Sends one command with binary arguments and returns its reply.</summary>
    public Task<RedisReply> ExecuteBinaryAsync(params ReadOnlyMemory<byte>[] args) => ExecuteAsync(args, DefaultTimeout, CancellationToken.None);

    /// <summary>Sends one command and returns its reply, within <paramref name="timeout"/> (<see cref="TimeoutException"/> otherwise).</summary>
    public async Task<RedisReply> ExecuteAsync(IReadOnlyList<ReadOnlyMemory<byte>> args, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(args.Count);
        var request = RespProtocol.EncodeCommand(args);
        string name = Encoding.UTF8.GetString(args[0].Span);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            try
            {
                var connection = await EnsureConnectedAsync(timeoutSource.Token);
                await connection.Stream.WriteAsync(request, timeoutSource.Token);
                return await connection.ReadReplyAsync(timeoutSource.Token);
            }
            catch (Exception e)
            {
                // A reply may still be on its way: the connection is out of step, never to be used again.
                Drop();
                if (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"Redis on port {Port} did not answer {name} within {timeout.TotalSeconds:0.###} s.", e);
                }

                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads the next reply the server sends without a request (a subscriber's messages), within
    /// <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>); <see cref="TimeoutException"/> otherwise.
    /// </summary>
    public async Task<RedisReply> ReadReplyAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var wait = timeout ?? DefaultTimeout;
        return await TryReadReplyAsync(wait, cancellationToken)
            ?? throw new TimeoutException($"Redis on port {Port} sent nothing within {wait.TotalSeconds:0.###} s.");
    }

    /// <summary>
    /// Reads the next reply the server pushes, or null when none arrives within <paramref name="timeout"/> (to check
    /// that nothing arrives). A timeout leaves the connection usable: the pending read carries on for the next call.
    /// </summary>
    public async Task<RedisReply?> TryReadReplyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var connection = _connection ?? throw new InvalidOperationException(
                $"Not connected to Redis on port {Port} (never connected, or the connection was closed): there is nothing to read.");
            try
            {
                return await connection.ReadReplyAsync(timeoutSource.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch
            {
                Drop();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection, if any; the next command opens a new one.</summary>
    public async Task DisconnectAsync()
    {
        await _gate.WaitAsync();
        try
        {
            Drop();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> PingAsync() => (await ExecuteAsync("PING")).AsString();

    /// <summary><c>PUBLISH</c>: how many subscribers received the message (on this node).</summary>
    public async Task<long> PublishAsync(string channel, string message) => (await ExecuteAsync("PUBLISH", channel, message)).AsInteger();

    /// <summary><c>SPUBLISH</c> (sharded pub/sub; in a cluster, only on the node owning the channel's slot).</summary>
    public async Task<long> ShardPublishAsync(string channel, string message) => (await ExecuteAsync("SPUBLISH", channel, message)).AsInteger();

    /// <summary><c>PUBSUB CHANNELS pattern</c>: the channels with at least one subscriber.</summary>
    public async Task<IReadOnlyList<string>> PubSubChannelsAsync(string pattern = "*") =>
        Strings(await ExecuteAsync("PUBSUB", "CHANNELS", pattern));

    /// <summary><c>PUBSUB NUMSUB channel</c>: the number of subscribers of <paramref name="channel"/>.</summary>
    public async Task<long> PubSubNumSubAsync(string channel) => (await ExecuteAsync("PUBSUB", "NUMSUB", channel))[1].AsInteger();

    /// <summary><c>PUBSUB SHARDCHANNELS pattern</c>: the shard channels with at least one subscriber (on this node).</summary>
    public async Task<IReadOnlyList<string>> PubSubShardChannelsAsync(string pattern = "*") =>
        Strings(await ExecuteAsync("PUBSUB", "SHARDCHANNELS", pattern));

    /// <summary><c>PUBSUB SHARDNUMSUB channel</c>: the number of shard subscribers of <paramref name="channel"/> (on this node).</summary>
    public async Task<long> PubSubShardNumSubAsync(string channel) => (await ExecuteAsync("PUBSUB", "SHARDNUMSUB", channel))[1].AsInteger();

    /// <summary><c>CLIENT KILL TYPE pubsub</c>: closes every subscriber connection; returns how many were closed.</summary>
    public async Task<long> ClientKillPubSubAsync() => (await ExecuteAsync("CLIENT", "KILL", "TYPE", "pubsub")).AsInteger();

    /// <summary><c>CONFIG RESETSTAT</c>: zeroes the counters <see cref="InfoCommandStatsAsync"/> reads.</summary>
    public async Task ConfigResetStatAsync() => ExpectOk(await ExecuteAsync("CONFIG", "RESETSTAT"), "CONFIG RESETSTAT");

    /// <summary>
    /// <c>INFO commandstats</c> as command → calls, keys in lower case as Redis writes them after <c>cmdstat_</c>
    /// (<c>subscribe</c>, <c>ssubscribe</c>, <c>publish</c>; subcommands as <c>client|kill</c>). A command never called
    /// since start or <see cref="ConfigResetStatAsync"/> is absent: read it with <c>GetValueOrDefault</c>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, long>> InfoCommandStatsAsync()
    {
        var stats = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in await InfoAsync("commandstats"))
        {
            // cmdstat_subscribe:calls=3,usec=12,usec_per_call=4.00,rejected_calls=0,failed_calls=0
            if (!key.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var calls = value.Split(',').Select(p => p.Split('=', 2)).First(p => p[0] == "calls")[1];
            stats[key["cmdstat_".Length..]] = long.Parse(calls, CultureInfo.InvariantCulture);
        }

        return stats;
    }

    /// <summary><c>INFO section</c> as field → value (<c>process_id</c>, <c>connected_clients</c>, …).</summary>
    public async Task<IReadOnlyDictionary<string, string>> InfoAsync(string section) =>
        ParseFields((await ExecuteAsync("INFO", section)).AsString());

    /// <summary><c>CLUSTER INFO</c> as field → value (<c>cluster_state</c>, <c>cluster_slots_assigned</c>, …).</summary>
    public async Task<IReadOnlyDictionary<string, string>> ClusterInfoAsync() =>
        ParseFields((await ExecuteAsync("CLUSTER", "INFO")).AsString());

    /// <summary><c>CLUSTER KEYSLOT key</c>: the hash slot of a key or shard channel, as the server computes it.</summary>
    public async Task<int> ClusterKeySlotAsync(string key) => checked((int)(await ExecuteAsync("CLUSTER", "KEYSLOT", key)).AsInteger());

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await DisconnectAsync();
        _disposed = true;
    }

    /// <summary>Parses the <c>field:value</c> lines of INFO and CLUSTER INFO (section headers and blank lines skipped).</summary>
    internal static IReadOnlyDictionary<string, string> ParseFields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.StartsWith('#') || colon < 0)
            {
                continue;
            }

            fields[line[..colon]] = line[(colon + 1)..];
        }

        return fields;
    }

    private static IReadOnlyList<string> Strings(RedisReply reply) => reply.AsArray().Select(r => r.AsString()).ToArray();

    private static void ExpectOk(RedisReply reply, string command)
    {
        if (reply.Kind != RedisReplyKind.SimpleString || reply.Text != "OK")
        {
            throw new InvalidOperationException($"Redis answered {reply} to {command}.");
        }
    }

    private async ValueTask<Connection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is { } existing)
        {
            return existing;
        }

        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return _connection = new Connection(client);
    }

    private void Drop()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>One TCP connection and the bytes read from it but not parsed yet.</summary>
    private sealed class Connection(TcpClient client) : IDisposable
    {
        private byte[] _buffer = new byte[16 * 1024];
        private int _start;
        private int _end;

        // A read that outlived a timeout of TryReadReplyAsync; the next read takes its bytes instead of losing them.
        private Task<int>? _pendingRead;

        public NetworkStream Stream { get; } = client.GetStream();

        public async Task<RedisReply> ReadReplyAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                int position = _start;
                if (RespProtocol.TryParse(_buffer.AsSpan(0, _end), ref position, out var reply))
                {
                    _start = position;
                    return reply;
                }

                if (_pendingRead is null)
                {
                    MakeRoom();
                    _pendingRead = Stream.ReadAsync(_buffer.AsMemory(_end)).AsTask();
                }

                int read = await _pendingRead.WaitAsync(cancellationToken);
                _pendingRead = null;
                if (read == 0)
                {
                    throw new IOException("Redis closed the connection.");
                }

                _end += read;
            }
        }

        public void Dispose() => client.Dispose();

        private void MakeRoom()
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }

            if (_end < _buffer.Length)
            {
                return;
            }

            int used = _end - _start;
            var target = used * 2 > _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
            Buffer.BlockCopy(_buffer, _start, target, 0, used);
            _buffer = target;
            _start = 0;
            _end = used;
        }
    }
}
