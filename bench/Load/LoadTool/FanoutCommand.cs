using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// <c>fanout</c>: one 32-byte text to every member of one room, against the group broadcast, the await loop and SignalR
/// groups (bench/README.md, "Fan-out"). Starts the three servers once, then per room size (throughput) and per room
/// with and without a stalled member (latency) runs every server once per round, the order rotated each round, and
/// prints medians and ratios taken within a round. With <c>--nodes 2 --redis</c> (the scale-out runs, issue 17) the tool
/// starts its own redis-server and every server as two nodes on it (<c>group</c> with the Redis backplane, <c>signalr</c>
/// with SignalR's), spreads each room's members over the nodes, and measures throughput and latency per room size.
/// </summary>
internal static class FanoutCommand
{
    private const string Usage = "Usage: fanout [--servers group,loop,signalr (with --redis also group-nowait, group-local)] [--members 100,1000,10000] [--rounds N] [--warmup S] [--measure S] [--window W] [--senders N] [--latency-members N] [--rate MSG_PER_S] [--no-throughput] [--no-latency] [--count-sends] [--server-cpus LIST] [--nodes N --redis [--redis-server PATH]] [--artifacts DIR] [--baseline-artifacts DIR] [--repo DIR] [--out FILE]";

    public static async Task<int> RunAsync(string[] args, Func<string> findRepository)
    {
        var settings = new FanoutSettings();
        string? artifacts = null;
        string? baselineArtifacts = null;   // another build of FanoutServer, run as group-before beside group
        string? outFile = null;
        string? serverCpus = null;
        string? repo = null;
        int[]? memberCounts = null;
        int nodes = 1;
        bool useRedis = false;
        string redisExecutable = "redis-server";
        int latencyMembers = 100;
        bool throughput = true;
        bool latency = true;
        List<string>? selected = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--servers" when value is not null:
                    selected = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    i++;
                    break;
                case "--members" when value is not null:
                    memberCounts = [.. value.Split(',').Select(static v => Bounded(int.Parse(v, CultureInfo.InvariantCulture), 2, 20_000, "--members"))];
                    i++;
                    break;
                case "--rounds" when value is not null:
                    settings = settings with { Rounds = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 1, 50, "--rounds") };
                    i++;
                    break;
                case "--warmup" when value is not null:
                    settings = settings with { Warmup = TimeSpan.FromSeconds(Bounded(double.Parse(value, CultureInfo.InvariantCulture), 0.5, 60, "--warmup")) };
                    i++;
                    break;
                case "--measure" when value is not null:
                    settings = settings with { Measure = TimeSpan.FromSeconds(Bounded(double.Parse(value, CultureInfo.InvariantCulture), 1, 120, "--measure")) };
                    i++;
                    break;
                case "--senders" when value is not null:
                    settings = settings with { Senders = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 1, 64, "--senders") };
                    i++;
                    break;
                case "--window" when value is not null:
                    settings = settings with { Window = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 1, 512, "--window") };
                    i++;
                    break;
                case "--latency-members" when value is not null:
                    latencyMembers = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 2, 5000, "--latency-members");
                    i++;
                    break;
                case "--rate" when value is not null:
                    settings = settings with { Rate = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 1, 100_000, "--rate") };
                    i++;
                    break;
                case "--no-throughput":
                    throughput = false;
                    break;
                case "--count-sends":
                    settings = settings with { CountSends = true };
                    break;
                case "--no-latency":
                    latency = false;
                    break;
                case "--nodes" when value is not null:
                    nodes = Bounded(int.Parse(value, CultureInfo.InvariantCulture), 1, 4, "--nodes");
                    i++;
                    break;
                case "--redis":
                    useRedis = true;
                    break;
                case "--redis-server" when value is not null:
                    redisExecutable = value;
                    i++;
                    break;
                case "--server-cpus" when value is not null:
                    serverCpus = value;
                    i++;
                    break;
                case "--artifacts" when value is not null:
                    artifacts = Path.GetFullPath(value);
                    i++;
                    break;
                case "--repo" when value is not null:
                    repo = Path.GetFullPath(value);
                    i++;
                    break;
                case "--baseline-artifacts" when value is not null:
                    baselineArtifacts = Path.GetFullPath(value);
                    i++;
                    break;
                case "--out" when value is not null:
                    outFile = Path.GetFullPath(value);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. {Usage}");
                    return 2;
            }
        }

        if (nodes > 1 && !useRedis)
        {
            Console.Error.WriteLine($"--nodes {nodes} needs --redis: the nodes share their rooms through Redis. {Usage}");
            return 2;
        }

        // The scale-out runs: rooms of 10 and 1,000 by default, the two servers that have a Redis backplane (the await
        // loop reaches only its own node's sessions), and latency at about 20,000 offered deliveries per second in every
        // room size (the rate divided by the room size, at most --rate), without the stalled member.
        bool scaleOut = useRedis;
        memberCounts ??= scaleOut ? [10, 1000] : [100, 1000, 10_000];
        selected ??= scaleOut ? ["group", "signalr", "group-local"] : [.. ServerKind.Fanout.Where(static k => !k.SingleNode && k.RunByDefault).Select(static k => k.Name)];
        if (scaleOut && selected.Contains("loop"))
        {
            Console.Error.WriteLine("loop has no backplane: with --redis choose from group, group-nowait, signalr, group-local.");
            return 2;
        }

        if (!scaleOut && ServerKind.Fanout.FirstOrDefault(k => k.NeedsRedis && selected.Contains(k.Name)) is { } needsRedis)
        {
            Console.Error.WriteLine($"{needsRedis.Name} configures the Redis backplane: it needs --nodes N --redis. {Usage}");
            return 2;
        }

        if (baselineArtifacts is not null && !selected.Contains(ServerKind.FanoutBaseline))
        {
            selected.Insert(selected.IndexOf("group") + 1, ServerKind.FanoutBaseline);
        }

        repo ??= findRepository();
        (ulong Soft, ulong Hard)? fdLimit = FileDescriptorLimit.RaiseToHardLimit();
        int largest = memberCounts.Max() + 100;
        if (fdLimit is { } limit && limit.Soft < (ulong)largest)
        {
            Console.Error.WriteLine($"The file-descriptor limit ({limit.Soft}, hard {limit.Hard}) is below what {memberCounts.Max()} members need; raise the hard limit (ulimit -Hn).");
        }

        var servers = new List<(ServerKind Kind, ServerProcess[] Nodes)>();
        RedisServer? redis = null;
        var results = new List<FanoutResult>();
        var report = new StringBuilder();
        string loadAtStart = ProcessStats.LoadAverage();
        report.AppendLine(CultureInfo.InvariantCulture, $"# Fan-out run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; file descriptors {fdLimit?.Soft.ToString(CultureInfo.InvariantCulture) ?? "?"}; load average at start {loadAtStart}{(serverCpus is null ? "" : $"; servers on CPUs {serverCpus}")}.");
        if (scaleOut)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"Scale-out: every server as {nodes} nodes on one redis-server started by the tool (persistence off); members spread over the nodes (member i on node i mod {nodes}), the sender on node 0; latency at min(--rate, 20,000 / members) msg/s.");
        }

        if (scaleOut)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"One room; {FanoutSettings.MessageBytes} B text; {settings.Rounds} interleaved round(s); measure {settings.Measure.TotalSeconds} s after {settings.Warmup.TotalSeconds} s warm-up; throughput window {settings.Window} messages in flight from {settings.Senders} sender(s); latency at min({settings.Rate}, 20,000 / members) msg/s offered to the whole room, no stalled member, no fill.");
        }
        else
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"One room; {FanoutSettings.MessageBytes} B text; {settings.Rounds} interleaved round(s); measure {settings.Measure.TotalSeconds} s after {settings.Warmup.TotalSeconds} s warm-up; throughput window {settings.Window} messages in flight from {settings.Senders} sender(s); latency at {settings.Rate} msg/s offered to {latencyMembers} readers (fill before the stalled case: {settings.FillMessages} × {settings.FillBytes} B).");
        }

        report.AppendLine();

        using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static _ => { ServerProcess.KillAll(); RedisServer.KillRunning(); });
        using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, static _ => { ServerProcess.KillAll(); RedisServer.KillRunning(); });
        try
        {
            if (useRedis)
            {
                redis = await RedisServer.StartAsync(redisExecutable).ConfigureAwait(false);
                double ping = await redis.PingRoundTripMicrosAsync(200).ConfigureAwait(false);
                Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] redis-server: pid {redis.Pid}, port {redis.Port}, PING round trip {ping:F0} µs (median of 200, idle)");
                report.AppendLine(CultureInfo.InvariantCulture, $"redis-server on port {redis.Port}; PING round trip before the run (median of 200 back to back): {ping:F0} µs.");
                report.AppendLine();
            }

            foreach (string name in selected)
            {
                ServerKind kind = ServerKind.Fanout.FirstOrDefault(k => k.Name == name)
                    ?? throw new ArgumentException($"Unknown fan-out server '{name}'. Known: {string.Join(", ", ServerKind.Fanout.Select(static k => k.Name))}");
                string assembly = kind.FindAssembly(repo, artifacts, baselineArtifacts) ?? throw new FileNotFoundException(kind.FromBaselineArtifacts
                    ? $"{kind.Name} needs --baseline-artifacts DIR with a Release build of {kind.ProjectDirectory} in it (bench/README.md)."
                    : $"No Release build of {kind.ProjectDirectory} found; build it first (bench/README.md).");
                string[] arguments = redis is null || kind.SingleNode ? kind.Arguments : [.. kind.Arguments, "--redis", redis.Endpoint];
                var started = new ServerProcess[kind.SingleNode ? 1 : nodes];
                for (int node = 0; node < started.Length; node++)
                {
                    started[node] = ServerProcess.Start(assembly, arguments, serverCpus);
                }

                servers.Add((kind, started));
                foreach (ServerProcess process in started)
                {
                    await WaitUntilListeningAsync(process).ConfigureAwait(false);
                    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: pid {process.Pid}, port {process.Port}");
                }
            }

            // Each server once more in every round, the order rotated by one per round; a warm-up room of 100 first.
            var plan = new List<(string Scenario, int Members, bool Latency)>();
            if (throughput)
            {
                plan.Add(("warm-up", 100, false));
                plan.AddRange(memberCounts.Select(static m => ($"throughput {m}", m, false)));
            }

            if (latency && scaleOut)
            {
                plan.AddRange(memberCounts.Select(static m => ($"latency {m}", m, true)));
            }
            else if (latency)
            {
                // Without and with the stalled member back to back for each server (which first alternates by round),
                // so the two see about the same load.
                plan.Add(($"latency {latencyMembers}", latencyMembers, true));
            }

            foreach ((string scenario, int members, bool latencyMode) in plan)
            {
                int rounds = scenario == "warm-up" ? 1 : settings.Rounds;
                for (int round = 0; round < rounds; round++)
                {
                    var order = servers.Select((_, i) => servers[(i + round) % servers.Count]).ToList();
                    for (int position = 0; position < order.Count; position++)
                    {
                        (ServerKind kind, ServerProcess[] processes) = order[position];
                        if (processes.FirstOrDefault(static p => p.HasExited) is { } exited)
                        {
                            Console.Error.WriteLine($"{kind.Name} has exited:{Environment.NewLine}{exited.Tail()}");
                            continue;
                        }

                        bool[] variants = !latencyMode || scaleOut ? [false] : round % 2 == 0 ? [false, true] : [true, false];
                        FanoutSettings run = scaleOut && latencyMode ? settings with { Rate = Math.Max(1, Math.Min(settings.Rate, 20_000 / members)) } : settings;
                        foreach (bool withStalled in variants)
                        {
                            try
                            {
                                FanoutResult result = await new FanoutBenchmark(kind, processes, run, redis).RunAsync(scenario, members, latencyMode, withStalled).ConfigureAwait(false);
                                result = result with { Round = round + 1, Position = position + 1 };
                                if (scenario != "warm-up")
                                {
                                    results.Add(result);
                                }

                                Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {scenario}{(withStalled ? " + stalled" : "")} round {round + 1}: {result.DeliveredPerSecond:F0} delivered/s, server {result.ServerCpuMicrosPerDelivered:F2} µs/delivered, client {result.ClientCpuMicrosPerDelivered:F2}, {result.MessagesPerRead:F1}/read, {result.MessagesPerServerSend:F1}/server send, fill {result.FillSeconds:F1} s, p50 {result.P50Micros:F0} µs, p99 {result.P99Micros:F0} µs, undelivered {result.Undelivered}, closes {result.Closes}, stalled queue {result.StalledSendQueue}{(redis is null ? "" : $", same-node p50 {result.SameNodeP50Micros:F0} µs, other-node p50 {result.OtherNodeP50Micros:F0} µs, Redis PING {result.RedisPingMicros:F0} µs, Redis {result.RedisCpuMillisPer100k:F1} ms/100k, {result.PublishesPerMessage:F2} publishes/message")}, load {result.LoadAverage}");
                            }
                            catch (Exception e)
                            {
                                Console.Error.WriteLine($"{kind.Name}: {scenario}{(withStalled ? " + stalled" : "")} round {round + 1} failed: {e.Message}{Environment.NewLine}{string.Join(Environment.NewLine, processes.Select(static p => p.Tail()))}{(redis is null ? "" : Environment.NewLine + redis.Tail())}");
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            foreach ((_, ServerProcess[] processes) in servers)
            {
                foreach (ServerProcess process in processes)
                {
                    process.Dispose();
                }
            }

            redis?.Dispose();
        }

        if (scaleOut)
        {
            FanoutReport.WriteScaleOut(report, results, [.. servers.Select(static s => s.Kind.Name)], nodes);
        }
        else
        {
            FanoutReport.Write(report, results, [.. servers.Select(static s => s.Kind.Name)]);
        }
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {ProcessStats.LoadAverage()}.");
        Console.WriteLine(report.ToString());
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, report.ToString()).ConfigureAwait(false);
        }

        return 0;
    }

    private static T Bounded<T>(T value, T min, T max, string option) where T : IComparable<T> =>
        value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0 ? value : throw new ArgumentOutOfRangeException(option, value, $"{option} takes {min} to {max}.");

    // Until the server accepts a TCP connection (bounded to 60 s).
    private static async Task WaitUntilListeningAsync(ServerProcess process)
    {
        long end = Environment.TickCount64 + 60_000;
        while (Environment.TickCount64 < end && !process.HasExited)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, process.Port).ConfigureAwait(false);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"The server did not listen within 60 s:{Environment.NewLine}{process.Tail()}");
    }
}
