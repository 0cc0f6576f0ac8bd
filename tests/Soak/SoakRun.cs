using System.Diagnostics;
using System.Globalization;

namespace Annotated.WebSockets.Soak;

/// <summary>
/// The driver: starts the server process, runs a warm-up phase of traffic, lets every session end and takes the
/// server's level (forced GC), runs the rest of the duration, lets every session end again and compares. Prints a
/// table row every sample interval.
/// </summary>
/// <remarks>
/// Exit codes: 0 all well; 1 a message was lost, corrupted or answered wrongly, or the server's counts disagree with
/// the clients'; 2 a leak (sessions still open, file descriptors or memory above the starting level beyond the
/// tolerance); 3 the run itself broke (the server process failed, workers did not finish).
/// </remarks>
internal static class SoakRun
{
    private const long MiB = 1024 * 1024;
    private const long FileDescriptorTolerance = 10;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WorkerGrace = TimeSpan.FromSeconds(45);

    public static async Task<int> RunAsync(SoakOptions options)
    {
        try
        {
            return await RunCheckedAsync(options);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
        {
            Console.WriteLine($"FAIL: the run broke: {e.Message}");
            return 3;
        }
    }

    private static async Task<int> RunCheckedAsync(SoakOptions options)
    {
        using var server = await ServerProcess.StartAsync();
        var warmUp = TimeSpan.FromTicks(Math.Min(options.Duration.Ticks / 6, TimeSpan.FromSeconds(30).Ticks));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"soak: server pid {server.Id} on 127.0.0.1:{server.Port}, {options.Clients} clients over {options.Rooms} rooms, "
            + $"{options.Duration:hh\\:mm\\:ss} ({warmUp:hh\\:mm\\:ss} warm-up), a row every {options.SampleEvery:hh\\:mm\\:ss}"));
        Console.WriteLine($"server start: {Describe(await server.SampleAsync(collect: true))}");

        var stats = new SoakStats();
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) };
        using var invoker = new HttpMessageInvoker(handler);
        var uri = new Uri($"ws://127.0.0.1:{server.Port}/soak/");
        var table = new SoakTable(stats, server);
        table.PrintHeader();

        if (!await RunTrafficAsync("warm-up", warmUp, 0, options, uri, invoker, stats, table))
        {
            return 3;
        }

        await DrainAsync(server);
        var baseline = await server.SampleAsync(collect: true);
        Console.WriteLine($"level after warm-up (all sessions ended, forced GC): {Describe(baseline)}");

        if (!await RunTrafficAsync("soak", options.Duration - warmUp, options.Clients, options, uri, invoker, stats, table))
        {
            return 3;
        }

        var drained = await DrainAsync(server);
        var final = await server.SampleAsync(collect: true);
        Console.WriteLine($"level at the end (all clients gone, forced GC):  {Describe(final)}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"clients: {stats.Connects} sessions, {stats.NormalCloses} closed normally, {stats.Vanished} vanished between messages, "
            + $"{stats.VanishedMidMessage} vanished inside a message; {stats.Messages} echoes verified ({stats.Bytes / (double)MiB:F1} MiB), "
            + $"{stats.Broadcasts} broadcasts received"));
        Console.WriteLine($"server: close codes {final.Text("codes")}, errors {final.Text("errors")}, broadcasts sent {final.Text("broadcasts")}, dropped {final.Text("dropped")}");

        var messageProblems = new List<string>();
        if (stats.FailureCount > 0)
        {
            messageProblems.Add($"{stats.FailureCount} client failures, first: {string.Join(" | ", stats.Failures.Take(5))}");
        }

        if (final.Opened != stats.Connects)
        {
            messageProblems.Add($"the server opened {final.Opened} sessions, the clients connected {stats.Connects}");
        }

        if (final.ClosedWith(1000) != stats.NormalCloses)
        {
            messageProblems.Add($"the server saw {final.ClosedWith(1000)} normal closes, the clients completed {stats.NormalCloses}");
        }

        if (final.Messages != stats.Messages)
        {
            messageProblems.Add($"the server handled {final.Messages} messages, the clients verified {stats.Messages} echoes");
        }

        var leaks = new List<string>();
        if (!drained || final.OpenSessions != 0 || final.Closed != final.Opened)
        {
            leaks.Add($"{final.OpenSessions} sessions still open ({final.Opened} opened, {final.Closed} closed)");
        }

        Check(leaks, "file descriptors", baseline.FileDescriptors, final.FileDescriptors, FileDescriptorTolerance, "");
        // Pools (ArrayPool, Kestrel's pinned blocks) keep some buffers after a peak: the heap may end somewhat above the
        // level after warm-up without a leak. A leak grows with the traffic; the per-session figure shows which.
        Check(leaks, "GC heap", baseline.GcHeapBytes, final.GcHeapBytes, Math.Max(16 * MiB, baseline.GcHeapBytes / 2), " bytes");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  GC heap change per soak-phase session: {(final.GcHeapBytes - baseline.GcHeapBytes) / (double)Math.Max(1, final.Opened - baseline.Opened):F0} bytes"));
        Check(leaks, "working set", baseline.WorkingSetBytes, final.WorkingSetBytes, Math.Max(64 * MiB, baseline.WorkingSetBytes / 2), " bytes");

        var stopped = await server.StopAsync();
        foreach (var problem in messageProblems)
        {
            Console.WriteLine($"FAIL (messages): {problem}");
        }

        foreach (var leak in leaks)
        {
            Console.WriteLine($"FAIL (leak): {leak}");
        }

        if (!stopped)
        {
            Console.WriteLine("FAIL: the server process did not stop cleanly");
        }

        if (messageProblems.Count == 0 && leaks.Count == 0 && stopped)
        {
            Console.WriteLine("PASS: every echo verified; sessions, file descriptors and memory back to the level after warm-up");
            return 0;
        }

        return messageProblems.Count > 0 ? 1 : leaks.Count > 0 ? 2 : 3;
    }

    // Runs `clients` workers for `duration` with a table row every interval; false when workers did not finish in time.
    private static async Task<bool> RunTrafficAsync(
        string phase, TimeSpan duration, int firstWorker, SoakOptions options, Uri uri, HttpMessageInvoker invoker, SoakStats stats, SoakTable table)
    {
        using var stop = new CancellationTokenSource(duration);
        var workers = Enumerable.Range(firstWorker, options.Clients)
            .Select(worker => Task.Run(() => new SoakClient(worker, uri, invoker, stats, options.Rooms).RunAsync(stop.Token)))
            .ToArray();
        var all = Task.WhenAll(workers);
        var deadline = Stopwatch.StartNew();
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(options.SampleEvery));
            await table.PrintRowAsync(phase);
            if (deadline.Elapsed > duration + WorkerGrace && !all.IsCompleted)
            {
                Console.WriteLine($"FAIL: the {phase} workers did not finish within {WorkerGrace} after the phase ended");
                return false;
            }
        }

        await all;
        return true;
    }

    // Waits until the server has no open session; false when some remain after the timeout.
    private static async Task<bool> DrainAsync(ServerProcess server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < DrainTimeout)
        {
            if ((await server.SampleAsync()).OpenSessions == 0)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static void Check(List<string> leaks, string what, long start, long end, long tolerance, string unit)
    {
        var verdict = end <= start + tolerance ? "ok" : "ABOVE";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {what}: {start}{unit} -> {end}{unit} ({end - start:+#;-#;0}{unit}, tolerance +{tolerance}{unit}): {verdict}"));
        if (end > start + tolerance)
        {
            leaks.Add(string.Create(CultureInfo.InvariantCulture, $"{what} grew from {start}{unit} to {end}{unit}, beyond the tolerance of {tolerance}{unit}"));
        }
    }

    private static string Describe(ServerSample sample) => string.Create(
        CultureInfo.InvariantCulture,
        $"GC heap {sample.GcHeapBytes / (double)MiB:F1} MiB (gen2 {sample.Bytes("gen2") / (double)MiB:F1}, LOH {sample.Bytes("loh") / (double)MiB:F1}, POH {sample.Bytes("poh") / (double)MiB:F1}), working set {sample.WorkingSetBytes / (double)MiB:F1} MiB, "
        + $"{sample.FileDescriptors} fds, {sample.Threads} threads, {sample.OpenSessions} open sessions");
}
