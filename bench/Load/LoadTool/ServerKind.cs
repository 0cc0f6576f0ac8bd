namespace Annotated.WebSockets.Bench.Load;

/// <summary>A server the tool can start: where its build output lives and how a client talks to it.</summary>
internal sealed record ServerKind(string Name, string ProjectDirectory, string ProjectName, string AssemblyName, bool SignalR, params string[] Arguments)
{
    public static IReadOnlyList<ServerKind> All { get; } =
    [
        new("annotated", "samples/Echo", "Echo", "Annotated.Samples.Echo", SignalR: false),
        // The same sample's string endpoint: text decoded into a string and encoded back (the Jakarta-classic shape).
        new("annotated-string", "samples/Echo", "Echo", "Annotated.Samples.Echo", SignalR: false) { EchoPath = "/echo/string" },
        new("raw-aspnetcore", "bench/Load/RawEchoServer", "RawEchoServer", "Annotated.WebSockets.Bench.RawEchoServer", SignalR: false),
        new("signalr", "bench/Load/SignalREchoServer", "SignalREchoServer", "Annotated.WebSockets.Bench.SignalREchoServer", SignalR: true),
        // Not run by default: the raw loop with zero-byte receives and pooled buffers, the idle-memory floor of the stack.
        new("raw-pooled", "bench/Load/RawEchoServer", "RawEchoServer", "Annotated.WebSockets.Bench.RawEchoServer", false, "--pooled", "true") { RunByDefault = false },
        // Added by --baseline-artifacts DIR: samples/Echo's /echo from another build (e.g. an older commit), so one
        // interleaved run measures the same server before and after a change.
        new(Baseline, "samples/Echo", "Echo", "Annotated.Samples.Echo", SignalR: false) { RunByDefault = false, FromBaselineArtifacts = true },
        // The telemetry-overhead profiles (run with --reference otel-off): samples/Echo's endpoint in one binary with
        // nothing listening, the OpenTelemetry SDK on the runtime's meter, and on its meter and every span.
        new("otel-off", "bench/Load/TelemetryEchoServer", "TelemetryEchoServer", "Annotated.WebSockets.Bench.TelemetryEchoServer", false, "--telemetry", "off") { RunByDefault = false },
        new("otel-metrics", "bench/Load/TelemetryEchoServer", "TelemetryEchoServer", "Annotated.WebSockets.Bench.TelemetryEchoServer", false, "--telemetry", "metrics") { RunByDefault = false },
        new("otel-traces", "bench/Load/TelemetryEchoServer", "TelemetryEchoServer", "Annotated.WebSockets.Bench.TelemetryEchoServer", false, "--telemetry", "traces") { RunByDefault = false },
    ];

    /// <summary>The server <c>--baseline-artifacts DIR</c> adds: <c>annotated</c> built elsewhere.</summary>
    public const string Baseline = "annotated-before";

    /// <summary>The servers of the fan-out profiles (<c>fanout</c> command): one room, the same clients.</summary>
    public static IReadOnlyList<ServerKind> Fanout { get; } =
    [
        new("group", "bench/Load/FanoutServer", "FanoutServer", "Annotated.WebSockets.Bench.FanoutServer", SignalR: false) { RoomPath = "/room/bench" },
        new("loop", "bench/Load/FanoutServer", "FanoutServer", "Annotated.WebSockets.Bench.FanoutServer", SignalR: false) { RoomPath = "/room-loop/bench" },
        new("signalr", "bench/Load/SignalREchoServer", "SignalREchoServer", "Annotated.WebSockets.Bench.SignalREchoServer", SignalR: true) { RoomPath = "/room" },
        // Scale-out runs only (--servers group-nowait): the group server with RedisBackplaneOptions.WaitForPublish off.
        new("group-nowait", "bench/Load/FanoutServer", "FanoutServer", "Annotated.WebSockets.Bench.FanoutServer", false, "--redis-no-wait", "true") { RoomPath = "/room/bench", RunByDefault = false, NeedsRedis = true },
        // Scale-out runs only: the group server as one node without Redis (the whole room on it), the reference for
        // what a delivery costs with no backplane at all.
        new("group-local", "bench/Load/FanoutServer", "FanoutServer", "Annotated.WebSockets.Bench.FanoutServer", SignalR: false) { RoomPath = "/room/bench", SingleNode = true },
        // Added by --baseline-artifacts DIR: the group server from another build, for a before/after in one run.
        new(FanoutBaseline, "bench/Load/FanoutServer", "FanoutServer", "Annotated.WebSockets.Bench.FanoutServer", SignalR: false) { RoomPath = "/room/bench", RunByDefault = false, FromBaselineArtifacts = true },
    ];

    /// <summary>The fan-out server <c>fanout --baseline-artifacts DIR</c> adds: <c>group</c> built elsewhere.</summary>
    public const string FanoutBaseline = "group-before";

    /// <summary>The servers run when --servers is not given.</summary>
    public static IEnumerable<ServerKind> Defaults => All.Where(static k => k.RunByDefault);

    /// <summary>The WebSocket path of the echo endpoint.</summary>
    public string EchoPath { get; init; } = "/echo";

    /// <summary>The WebSocket path of the fan-out room (fan-out servers only).</summary>
    public string? RoomPath { get; init; }

    /// <summary>Whether a scale-out run starts it as one node without Redis.</summary>
    public bool SingleNode { get; init; }

    /// <summary>Whether the server makes sense only in a scale-out run (<c>--redis</c>): its arguments configure the backplane.</summary>
    public bool NeedsRedis { get; init; }

    /// <summary>Whether the server runs when --servers is not given.</summary>
    public bool RunByDefault { get; init; } = true;

    /// <summary>Whether the build comes from <c>--baseline-artifacts</c> only (never from the repository's own builds).</summary>
    public bool FromBaselineArtifacts { get; init; }

    /// <summary>
    /// The Release build of the server: under an artifacts path (<c>dotnet build -c Release --artifacts-path DIR</c>)
    /// or in the project's own bin folder; a baseline server only under <paramref name="baselineArtifactsPath"/>.
    /// </summary>
    public string? FindAssembly(string repositoryRoot, string? artifactsPath, string? baselineArtifactsPath = null)
    {
        if (FromBaselineArtifacts)
        {
            string? path = baselineArtifactsPath is null ? null : Path.Combine(baselineArtifactsPath, "bin", ProjectName, "release", AssemblyName + ".dll");
            return File.Exists(path) ? path : null;
        }

        var candidates = new List<string>();
        if (artifactsPath is not null)
        {
            candidates.Add(Path.Combine(artifactsPath, "bin", ProjectName, "release", AssemblyName + ".dll"));
        }

        candidates.Add(Path.Combine(repositoryRoot, ProjectDirectory, "bin", "Release", "net10.0", AssemblyName + ".dll"));
        return candidates.FirstOrDefault(File.Exists);
    }
}
