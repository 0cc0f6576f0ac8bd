using System.Diagnostics;
using System.Globalization;
using System.Text;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// A real Redis Cluster of primaries without replicas (three by default), each a <see cref="RedisServer"/> with cluster
/// mode on (<c>--cluster-node-timeout 5000</c>, its own bus port), joined by <c>redis-cli --cluster create</c>. Ready
/// once every node reports <c>cluster_state:ok</c> with all 16384 slots assigned. Disposing stops every node by its
/// process id and deletes their directories.
/// </summary>
public sealed class RedisCluster : IAsyncDisposable
{
    public const int SlotCount = 16384;

    /// <summary>How long creation waits for redis-cli and then for every node to report the cluster ok.</summary>
    public static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(30);

    private (int First, int Last, RedisServer Node)[] _slots = [];

    private RedisCluster(IReadOnlyList<RedisServer> nodes)
    {
        Nodes = nodes;
    }

    /// <summary>The primaries, in the order given to <c>redis-cli --cluster create</c>.</summary>
    public IReadOnlyList<RedisServer> Nodes { get; }

    /// <summary>Every node's endpoint, comma-separated (<c>127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3</c>), for StackExchange.Redis.</summary>
    public string ConnectionString => string.Join(",", Nodes.Select(n => n.ConnectionString));

    /// <summary>What <c>redis-cli --cluster create</c> printed.</summary>
    public string CreateOutput { get; private set; } = "";

    /// <summary>
    /// Starts <paramref name="primaries"/> nodes (at least 3, as redis-cli requires), creates the cluster and waits until
    /// it is ok. <paramref name="extraArguments"/> go to every node's command line after the cluster settings, so they
    /// override them (<c>"--cluster-node-timeout", "1000"</c> to see a stopped node marked failed sooner).
    /// </summary>
    public static async Task<RedisCluster> StartAsync(
        int primaries = 3, IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(primaries, 3);
        var arguments = extraArguments?.ToArray();
        var starts = Enumerable.Range(0, primaries)
            .Select(_ => RedisServer.StartAsync(arguments, cluster: true, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await start.Result.DisposeAsync();
            }

            throw;
        }

        var cluster = new RedisCluster(starts.Select(s => s.Result).ToArray());
        try
        {
            await cluster.CreateAsync(cancellationToken);
            await cluster.WaitUntilOkAsync(CreateTimeout, cancellationToken);
            await cluster.RefreshSlotMapAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The hash slot of a key or shard channel name, as Redis computes it: CRC16 (XMODEM) of its UTF-8 bytes modulo
    /// 16384, of only the part inside the first <c>{…}</c> when that part is not empty (a hash tag).
    /// </summary>
    public static int GetSlot(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        ReadOnlySpan<byte> hashed = bytes;
        int open = hashed.IndexOf((byte)'{');
        if (open >= 0)
        {
            int close = hashed[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                hashed = hashed.Slice(open + 1, close);
            }
        }

        return Crc16(hashed) % SlotCount;
    }

    /// <summary>
    /// The node that owns the slot of <paramref name="channel"/> (the node SSUBSCRIBE and SPUBLISH must go to), from
    /// the slot map read when the cluster was created (or by <see cref="RefreshSlotMapAsync"/>).
    /// </summary>
    public RedisServer GetNodeForChannel(string channel)
    {
        int slot = GetSlot(channel);
        foreach (var (first, last, node) in _slots)
        {
            if (slot >= first && slot <= last)
            {
                return node;
            }
        }

        throw new InvalidOperationException($"No node owns slot {slot} of '{channel}' in the slot map.");
    }

    /// <summary>Reads the slot map again (<c>CLUSTER SLOTS</c> from the first running node), after slots moved.</summary>
    public async Task RefreshSlotMapAsync()
    {
        var reporter = Nodes.First(n => n.IsRunning);
        var ranges = new List<(int, int, RedisServer)>();
        foreach (var range in (await reporter.Commands.ExecuteAsync("CLUSTER", "SLOTS")).AsArray())
        {
            // [first, last, [ip, port, id, …], replicas…]
            int port = checked((int)range[2][1].AsInteger());
            var node = Nodes.FirstOrDefault(n => n.Port == port)
                ?? throw new InvalidOperationException($"CLUSTER SLOTS names port {port}, which is none of this cluster's nodes.");
            ranges.Add((checked((int)range[0].AsInteger()), checked((int)range[1].AsInteger()), node));
        }

        _slots = ranges.ToArray();
    }

    /// <summary>
    /// Waits until every running node reports <c>cluster_state:ok</c>, all 16384 slots assigned and every node known
    /// (after a node was stopped and started again, for instance); <see cref="TimeoutException"/> with the last state otherwise.
    /// </summary>
    public async Task WaitUntilOkAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var elapsed = Stopwatch.StartNew();
        string expectedKnown = Nodes.Count.ToString(CultureInfo.InvariantCulture);
        string expectedSlots = SlotCount.ToString(CultureInfo.InvariantCulture);
        while (true)
        {
            var states = new List<string>();
            bool ok = true;
            foreach (var node in Nodes.Where(n => n.IsRunning))
            {
                var info = await node.Commands.ClusterInfoAsync();
                string state = info.GetValueOrDefault("cluster_state", "?");
                string assigned = info.GetValueOrDefault("cluster_slots_assigned", "?");
                string known = info.GetValueOrDefault("cluster_known_nodes", "?");
                ok &= state == "ok" && assigned == expectedSlots && known == expectedKnown;
                states.Add($"{node.Port}: cluster_state:{state} cluster_slots_assigned:{assigned} cluster_known_nodes:{known}");
            }

            if (ok)
            {
                return;
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"The Redis cluster was not ok within {timeout.TotalSeconds:0} s:\n{string.Join('\n', states)}\n"
                    + $"redis-cli --cluster create said:\n{CreateOutput}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>Stops every node (by process id) and deletes their directories.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Exception>? failures = null;
        foreach (var node in Nodes)
        {
            try
            {
                await node.DisposeAsync();
            }
            catch (Exception e)
            {
                (failures ??= []).Add(e);
            }
        }

        if (failures is not null)
        {
            throw new AggregateException("Some Redis cluster nodes could not be disposed.", failures);
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("redis-cli")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--cluster");
        startInfo.ArgumentList.Add("create");
        foreach (var node in Nodes)
        {
            startInfo.ArgumentList.Add(node.ConnectionString);
        }

        foreach (var argument in (string[])["--cluster-replicas", "0", "--cluster-yes"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-cli could not be started.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).WaitAsync(CreateTimeout, cancellationToken);
            CreateOutput = await output + await errors;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"redis-cli --cluster create failed (exit code {process.ExitCode}):\n{CreateOutput}\n"
                    + string.Join('\n', Nodes.Select(n => $"--- {n} ---\n{n.Log}")));
            }
        }
        finally
        {
            await ChildProcess.KillAndDisposeAsync(process);
        }
    }

    /// <summary>CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0), the checksum of Redis Cluster's key slots.</summary>
    private static int Crc16(ReadOnlySpan<byte> bytes)
    {
        int crc = 0;
        foreach (byte b in bytes)
        {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
        }

        return crc & 0xFFFF;
    }
}
