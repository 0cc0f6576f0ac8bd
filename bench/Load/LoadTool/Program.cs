using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Annotated.WebSockets.Bench.Load;

// Usage: Annotated.WebSockets.Bench.Load [--quick] [--servers annotated,annotated-string,raw-aspnetcore,signalr] [--artifacts DIR]
//        [--repo DIR] [--out FILE] [--measure SECONDS] [--rounds N] [--profiles 1,2,3,4] [--no-idle] [--idle COUNT]
//        [--idle-hold SECONDS] [--server-cpus LIST] [--baseline-artifacts DIR] [--reference SERVER]
// Starts each server (built Release beforehand, see bench/README.md) as a child process on 127.0.0.1 and measures its
// start-up and idle memory; then, with every server still running, measures each echo profile against every server in
// interleaved rounds; stops the servers and prints one Markdown report.
// Or: Annotated.WebSockets.Bench.Load fanout [...] — the fan-out profiles (FanoutCommand, bench/README.md).
if (args is ["fanout", ..])
{
    return await FanoutCommand.RunAsync(args[1..], FindRepositoryRoot);
}

const string Usage = "Usage: [--quick] [--servers a,b] [--artifacts DIR] [--repo DIR] [--out FILE] [--measure SECONDS] [--rounds N] [--profiles 1,2,3,4] [--no-idle] [--idle COUNT] [--idle-hold SECONDS] [--server-cpus LIST] [--baseline-artifacts DIR] [--reference SERVER]";
const int MaxRounds = 50;
LoadSettings settings = LoadSettings.Default;
string? artifacts = null;
string? baselineArtifacts = null;   // another build of samples/Echo, run as annotated-before beside annotated
string? repository = null;
string? outFile = null;
string[]? profileFilter = null;   // profile numbers 1..4 (1, 64, many connections of small messages; large messages)
bool skipIdle = false;
string? serverCpus = null;   // e.g. "1": servers run on that CPU only (start the tool itself with taskset -c 0)
bool quick = false;
TimeSpan? explicitMeasure = null;   // --measure and --rounds are kept by a --quick that follows them
int? explicitRounds = null;
var selected = ServerKind.Defaults.Select(static s => s.Name).ToList();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            settings = LoadSettings.Quick with
            {
                Measure = explicitMeasure ?? LoadSettings.Quick.Measure,
                Rounds = explicitRounds ?? LoadSettings.Quick.Rounds,
            };
            quick = true;
            break;
        case "--servers" when i + 1 < args.Length:
            selected = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--artifacts" when i + 1 < args.Length:
            artifacts = Path.GetFullPath(args[++i]);
            break;
        case "--baseline-artifacts" when i + 1 < args.Length:
            baselineArtifacts = Path.GetFullPath(args[++i]);
            break;
        case "--repo" when i + 1 < args.Length:
            repository = Path.GetFullPath(args[++i]);
            break;
        case "--out" when i + 1 < args.Length:
            outFile = Path.GetFullPath(args[++i]);
            break;
        case "--measure" when i + 1 < args.Length:
            explicitMeasure = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            settings = settings with { Measure = explicitMeasure.Value };
            break;
        case "--rounds" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out int rounds) || rounds is < 1 or > MaxRounds)
            {
                Console.Error.WriteLine($"--rounds takes a whole number from 1 to {MaxRounds}, not '{args[i]}'.");
                return 2;
            }

            explicitRounds = rounds;
            settings = settings with { Rounds = rounds };
            break;
        case "--profiles" when i + 1 < args.Length:
            profileFilter = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--no-idle":
            skipIdle = true;
            break;
        case "--idle" when i + 1 < args.Length:
            settings = settings with { IdleConnections = int.Parse(args[++i], CultureInfo.InvariantCulture) };
            break;
        case "--idle-hold" when i + 1 < args.Length:
            settings = settings with { IdleHold = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) };
            break;
        case "--server-cpus" when i + 1 < args.Length:
            serverCpus = args[++i];
            break;
        case "--reference" when i + 1 < args.Length:
            EchoReport.Reference = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. {Usage}");
            return 2;
    }
}

repository ??= FindRepositoryRoot();
if (baselineArtifacts is not null && !selected.Contains(ServerKind.Baseline))
{
    // Right after annotated, so the two sit next to each other in every table.
    int annotatedAt = selected.IndexOf("annotated");
    selected.Insert(annotatedAt < 0 ? selected.Count : annotatedAt + 1, ServerKind.Baseline);
}

(ulong Soft, ulong Hard)? fdLimit = FileDescriptorLimit.RaiseToHardLimit();
if (fdLimit is { } limit && limit.Soft < (ulong)settings.IdleConnections + 1000)
{
    Console.Error.WriteLine($"The file-descriptor limit ({limit.Soft}, hard {limit.Hard}) is below what {settings.IdleConnections} idle connections need; raise the hard limit (ulimit -Hn).");
}

var servers = new List<(ServerKind Kind, string Assembly)>();
foreach (string name in selected)
{
    ServerKind kind = ServerKind.All.FirstOrDefault(k => k.Name == name)
        ?? throw new ArgumentException($"Unknown server '{name}'. Known: {string.Join(", ", ServerKind.All.Select(static k => k.Name))}");
    string assembly = kind.FindAssembly(repository, artifacts, baselineArtifacts)
        ?? throw new FileNotFoundException(kind.FromBaselineArtifacts
            ? $"{kind.Name} needs --baseline-artifacts DIR with a Release build of {kind.ProjectDirectory} in it (bench/README.md)."
            : $"No Release build of {kind.ProjectDirectory} found; build it first (bench/README.md).");
    servers.Add((kind, assembly));
}

var report = new StringBuilder();
string loadAtStart = ProcessStats.LoadAverage();
report.AppendLine(CultureInfo.InvariantCulture, $"# Load run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({(quick ? "quick" : "default")} mode)");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; file descriptors {fdLimit?.Soft.ToString(CultureInfo.InvariantCulture) ?? "?"} (hard {fdLimit?.Hard.ToString(CultureInfo.InvariantCulture) ?? "?"}); load average at start {loadAtStart}.");
if (baselineArtifacts is not null)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"{ServerKind.Baseline}: {servers.First(static s => s.Kind.Name == ServerKind.Baseline).Assembly}.");
}

report.AppendLine(CultureInfo.InvariantCulture, $"Measure {settings.Measure.TotalSeconds} s after {settings.Warmup.TotalSeconds} s warm-up per profile{(settings.Rounds > 1 ? $", {settings.Rounds} interleaved rounds per profile" : "")}; clients do not offer permessage-deflate; client and servers share the machine.");
report.AppendLine();

var echoResults = new List<EchoResult>();
var roundLoads = new List<RoundLoad>();
var idleResults = new List<IdleResult>();
var startupResults = new List<StartupResult>();
(string Name, int Connections, int Bytes)[] profiles =
[
    ($"1 conn × {settings.SmallMessageBytes} B", 1, settings.SmallMessageBytes),
    ($"64 conn × {settings.SmallMessageBytes} B", 64, settings.SmallMessageBytes),
    ($"{settings.ManyConnections} conn × {settings.SmallMessageBytes} B", settings.ManyConnections, settings.SmallMessageBytes),
    ($"{settings.LargeConnections} conn × {settings.LargeMessageBytes / 1024} KiB", settings.LargeConnections, settings.LargeMessageBytes),
];
(string Name, int Connections, int Bytes)[] selectedProfiles =
    [.. profiles.Where((_, p) => profileFilter is null || profileFilter.Contains((p + 1).ToString(CultureInfo.InvariantCulture)))];

// The servers stay up from their start to the end of the echo rounds; a signal to the tool ends them too (a server
// does not notice its parent's death).
using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, static _ => ServerProcess.KillAll());
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, static _ => ServerProcess.KillAll());
var running = new List<(ServerKind Kind, ServerProcess Process, ServerBenchmark Benchmark)>();
try
{
    // Once per server, one server at a time: start-up, warm-up, idle memory (not ratios of throughput).
    foreach ((ServerKind kind, string assembly) in servers)
    {
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: starting {assembly}");
        ServerProcess process = ServerProcess.Start(assembly, kind.Arguments, serverCpus);
        var benchmark = new ServerBenchmark(kind, process, settings);
        try
        {
            StartupResult startup = await benchmark.MeasureStartupAsync();
            startupResults.Add(startup);
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: first connection after {startup.Milliseconds:F0} ms (pid {process.Pid})");
            await benchmark.WarmUpAsync();
            if (!skipIdle)
            {
                IdleResult idle = await benchmark.MeasureIdleAsync();
                idleResults.Add(idle);
                Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {idle.Connections} idle connections, {idle.BytesPerConnection / 1024:F1} KiB each");
            }

            running.Add((kind, process, benchmark));
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"{kind.Name} failed: {e.Message}{Environment.NewLine}{process.Tail()}");
            benchmark.Dispose();
            process.Dispose();
        }
    }

    // Echo profiles: every running server once per round, the order rotated by one each round (round 1 annotated,
    // raw-aspnetcore, signalr; round 2 raw-aspnetcore, signalr, annotated; ...), so none always runs first or last.
    // Each measurement has its own warm-up and its own CPU window.
    foreach ((string name, int connections, int bytes) in selectedProfiles)
    {
        for (int round = 0; round < settings.Rounds; round++)
        {
            var order = running.Select((_, i) => running[(i + round) % running.Count]).ToList();
            string roundLoadAtStart = ProcessStats.LoadAverage();
            for (int position = 0; position < order.Count; position++)
            {
                (ServerKind kind, ServerProcess process, ServerBenchmark benchmark) = order[position];
                string roundLabel = settings.Rounds > 1 ? $" round {round + 1}/{settings.Rounds}" : "";
                if (process.HasExited)
                {
                    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {name}{roundLabel}: skipped, the server has exited{Environment.NewLine}{process.Tail()}");
                    continue;
                }

                try
                {
                    EchoResult result = await benchmark.RunEchoAsync(name, connections, bytes);
                    echoResults.Add(result with { Round = round + 1, Position = position + 1 });
                    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {name}{roundLabel}: {result.MessagesPerSecond:F0} msg/s, p99 {result.P99Micros:F0} µs, errors {result.Errors}, load {result.LoadAverage}");
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine($"{kind.Name}: {name}{roundLabel} failed: {e.Message}{Environment.NewLine}{process.Tail()}");
                }
            }

            roundLoads.Add(new RoundLoad(name, round + 1, string.Join(", ", order.Select(static s => s.Kind.Name)), roundLoadAtStart, ProcessStats.LoadAverage()));
        }
    }
}
finally
{
    foreach ((_, ServerProcess process, ServerBenchmark benchmark) in running)
    {
        benchmark.Dispose();
        process.Dispose();
    }
}

IReadOnlyList<string> serverOrder = [.. servers.Select(static s => s.Kind.Name)];
if (settings.Rounds > 1)
{
    EchoReport.WriteRounds(report, echoResults, roundLoads, [.. selectedProfiles.Select(static p => p.Name)], serverOrder, settings.Rounds);
}
else
{
    EchoReport.WriteSingle(report, echoResults, serverOrder);
}

if (echoResults.Any(static r => r.Server == ServerKind.Baseline))
{
    EchoReport.WriteBaseline(report, echoResults, [.. selectedProfiles.Select(static p => p.Name)]);
}

if (idleResults.Count > 0)   // none with --no-idle
{
    report.AppendLine();
    report.AppendLine("## Server memory per idle connection (VmRSS growth / connections)");
    report.AppendLine();
    report.AppendLine("| server | connections | RSS before MiB | RSS after MiB | KiB per connection | load |");
    report.AppendLine("|---|---:|---:|---:|---:|---:|");
    foreach (IdleResult r in idleResults)
    {
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {r.Server} | {r.Connections} | {r.RssBeforeBytes / 1048576.0:F1} | {r.RssAfterBytes / 1048576.0:F1} | {r.BytesPerConnection / 1024:F1} | {r.LoadAverage} |");
    }
}

report.AppendLine();
report.AppendLine("## Process start to first accepted connection");
report.AppendLine();
report.AppendLine("| server | ms | load |");
report.AppendLine("|---|---:|---:|");
foreach (StartupResult r in startupResults)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Server} | {r.Milliseconds:F0} | {r.LoadAverage} |");
}

report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Load average at end: {ProcessStats.LoadAverage()}.");
Console.WriteLine(report.ToString());
if (outFile is not null)
{
    await File.WriteAllTextAsync(outFile, report.ToString());
}

return 0;

static string FindRepositoryRoot()
{
    for (string? directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
    {
        if (File.Exists(Path.Combine(directory, "Annotated.sln")))
        {
            return directory;
        }
    }

    for (string? directory = Environment.CurrentDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
    {
        if (File.Exists(Path.Combine(directory, "Annotated.sln")))
        {
            return directory;
        }
    }

    throw new DirectoryNotFoundException("Run from inside the repository or pass --repo DIR.");
}
