using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Annotated.WebSockets.Bench.Load;

// Usage: Annotated.WebSockets.Bench.Load [--quick] [--servers annotated,raw-aspnetcore,signalr] [--artifacts DIR]
//        [--repo DIR] [--out FILE] [--measure SECONDS] [--profiles 1,2,3,4] [--no-idle] [--idle COUNT]
//        [--idle-hold SECONDS]
// Starts each server (built Release beforehand, see bench/README.md) as a child process on 127.0.0.1, runs every
// profile against it, stops it, and prints one Markdown report.
LoadSettings settings = LoadSettings.Default;
string? artifacts = null;
string? repository = null;
string? outFile = null;
string[]? profileFilter = null;   // profile numbers 1..4 (1, 64, many connections of small messages; large messages)
bool skipIdle = false;
bool quick = false;
var selected = ServerKind.Defaults.Select(static s => s.Name).ToList();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            settings = LoadSettings.Quick with { Measure = settings == LoadSettings.Default ? LoadSettings.Quick.Measure : settings.Measure };
            quick = true;
            break;
        case "--servers" when i + 1 < args.Length:
            selected = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
            break;
        case "--artifacts" when i + 1 < args.Length:
            artifacts = Path.GetFullPath(args[++i]);
            break;
        case "--repo" when i + 1 < args.Length:
            repository = Path.GetFullPath(args[++i]);
            break;
        case "--out" when i + 1 < args.Length:
            outFile = Path.GetFullPath(args[++i]);
            break;
        case "--measure" when i + 1 < args.Length:
            settings = settings with { Measure = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture)) };
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
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--quick] [--servers a,b] [--artifacts DIR] [--repo DIR] [--out FILE] [--measure SECONDS] [--profiles 1,2,3,4] [--no-idle] [--idle COUNT] [--idle-hold SECONDS]");
            return 2;
    }
}

repository ??= FindRepositoryRoot();
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
    string assembly = kind.FindAssembly(repository, artifacts)
        ?? throw new FileNotFoundException($"No Release build of {kind.ProjectDirectory} found; build it first (bench/README.md).");
    servers.Add((kind, assembly));
}

var report = new StringBuilder();
string loadAtStart = ProcessStats.LoadAverage();
report.AppendLine(CultureInfo.InvariantCulture, $"# Load run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC ({(quick ? "quick" : "default")} mode)");
report.AppendLine();
report.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}; file descriptors {fdLimit?.Soft.ToString(CultureInfo.InvariantCulture) ?? "?"} (hard {fdLimit?.Hard.ToString(CultureInfo.InvariantCulture) ?? "?"}); load average at start {loadAtStart}.");
report.AppendLine(CultureInfo.InvariantCulture, $"Measure {settings.Measure.TotalSeconds} s after {settings.Warmup.TotalSeconds} s warm-up per profile; clients do not offer permessage-deflate; client and servers share the machine.");
report.AppendLine();

var echoResults = new List<EchoResult>();
var idleResults = new List<IdleResult>();
var startupResults = new List<StartupResult>();
(string Name, int Connections, int Bytes)[] profiles =
[
    ($"1 conn × {settings.SmallMessageBytes} B", 1, settings.SmallMessageBytes),
    ($"64 conn × {settings.SmallMessageBytes} B", 64, settings.SmallMessageBytes),
    ($"{settings.ManyConnections} conn × {settings.SmallMessageBytes} B", settings.ManyConnections, settings.SmallMessageBytes),
    ($"{settings.LargeConnections} conn × {settings.LargeMessageBytes / 1024} KiB", settings.LargeConnections, settings.LargeMessageBytes),
];

foreach ((ServerKind kind, string assembly) in servers)
{
    Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: starting {assembly}");
    using ServerProcess process = ServerProcess.Start(assembly, kind.Arguments);
    using var benchmark = new ServerBenchmark(kind, process, settings);
    try
    {
        StartupResult startup = await benchmark.MeasureStartupAsync();
        startupResults.Add(startup);
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: first connection after {startup.Milliseconds:F0} ms");
        await benchmark.WarmUpAsync();
        if (!skipIdle)
        {
            IdleResult idle = await benchmark.MeasureIdleAsync();
            idleResults.Add(idle);
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {idle.Connections} idle connections, {idle.BytesPerConnection / 1024:F1} KiB each");
        }

        for (int p = 0; p < profiles.Length; p++)
        {
            (string name, int connections, int bytes) = profiles[p];
            if (profileFilter is not null && !profileFilter.Contains((p + 1).ToString(CultureInfo.InvariantCulture)))
            {
                continue;
            }

            EchoResult result = await benchmark.RunEchoAsync(name, connections, bytes);
            echoResults.Add(result);
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {name}: {result.MessagesPerSecond:F0} msg/s, p99 {result.P99Micros:F0} µs, errors {result.Errors}");
        }
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"{kind.Name} failed: {e.Message}{Environment.NewLine}{process.Tail()}");
    }
}

const string Baseline = "raw-aspnetcore";
report.AppendLine("## Echo round trips (closed loop)");
report.AppendLine();
report.AppendLine("| profile | server | msg/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | msg/s vs raw | p99 vs raw | CPU vs raw | errors | load |");
report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (EchoResult r in echoResults)
{
    EchoResult? raw = echoResults.FirstOrDefault(b => b.Profile == r.Profile && b.Server == Baseline);
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {r.Profile} | {r.Server} | {r.MessagesPerSecond:F0} | {r.P50Micros:F0} | {r.P99Micros:F0} | {r.P999Micros:F0} | {r.ServerCpuMicrosPerMessage:F1} | {Ratio(r.MessagesPerSecond, raw?.MessagesPerSecond)} | {Ratio(r.P99Micros, raw?.P99Micros)} | {Ratio(r.ServerCpuMicrosPerMessage, raw?.ServerCpuMicrosPerMessage)} | {r.Errors} | {r.LoadAverage} |");
}

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

static string Ratio(double value, double? baseline) =>
    baseline is double b && b > 0 && !double.IsNaN(value) ? (value / b).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";

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
