using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// The client side of the load test, run in a child process: RLIMIT_NOFILE is per process and cannot always be raised
/// (root in a container without CAP_SYS_RESOURCE keeps the hard limit), and 10,000 connections need 10,000 sockets on
/// each side; a child also keeps the clients' memory out of the server's figures. The child is this very assembly
/// started with <c>dotnet exec</c> and <see cref="SettingsVariable"/> set: the module initializer below starts the
/// client on a foreground thread, which outlives the (empty) generated test entry point and ends the process. In the
/// test host the variable is unset and the initializer does nothing.
/// </summary>
/// <remarks>
/// Line protocol on stdout: <c>open …</c> once every connection is upgraded, then it waits for <c>exchange</c> on stdin,
/// answers <c>exchanged …</c>, waits for <c>close</c>, answers <c>closed …</c> and exits 0; on any failure it writes
/// <c>fail …</c> and exits 1.
/// </remarks>
internal static class LoadClientProgram
{
    /// <summary>"port path connections messages concurrency".</summary>
    public const string SettingsVariable = "ANNOTATED_LOAD_CLIENT";

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

#pragma warning disable CA2255 // a test assembly that doubles as the load client's program
    [ModuleInitializer]
    internal static void RunWhenStartedAsClient()
#pragma warning restore CA2255
    {
        var settings = Environment.GetEnvironmentVariable(SettingsVariable);
        if (settings is null)
        {
            return;
        }

        // The initializer itself must return at once: it is the module's type initializer, so any other thread
        // touching this assembly's code would wait for it. A foreground thread keeps the process alive after the
        // empty entry point returns, and ends it with the client's exit code.
        var thread = new Thread(() =>
        {
            int code;
            try
            {
                code = RunAsync(settings).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Console.Out.WriteLine($"fail {OneLine(e.ToString())}");
                code = 1;
            }

            Console.Out.Flush();
            Environment.Exit(code);
        })
        {
            IsBackground = false,
            Name = "Load client",
        };
        thread.Start();
    }

    private static async Task<int> RunAsync(string settings)
    {
        var parts = settings.Split(' ');
        var server = new IPEndPoint(IPAddress.Loopback, int.Parse(parts[0], CultureInfo.InvariantCulture));
        var path = parts[1];
        var count = int.Parse(parts[2], CultureInfo.InvariantCulture);
        var messages = int.Parse(parts[3], CultureInfo.InvariantCulture);
        var concurrency = int.Parse(parts[4], CultureInfo.InvariantCulture);
        using var deadline = new CancellationTokenSource(Deadline);
        var token = deadline.Token;

        var limit = FileDescriptorLimit.Require((ulong)count + 1024);
        Console.Out.WriteLine($"limit {limit}");

        var connections = new LoadClientConnection?[count];
        try
        {
            var clock = Stopwatch.StartNew();
            var failed = await ForEachAsync(count, concurrency, async i =>
                connections[i] = await LoadClientConnection.ConnectAsync(server, path, token).ConfigureAwait(false), token).ConfigureAwait(false);
            if (failed is not null)
            {
                Console.Out.WriteLine($"fail connect: {failed}");
                return 1;
            }

            GC.Collect();
            Console.Out.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"open {count} in {clock.ElapsedMilliseconds} ms; client working set {Environment.WorkingSet / 1048576} MiB, GC heap {GC.GetTotalMemory(false) / 1048576} MiB"));

            if (!await WaitForAsync("exchange", token).ConfigureAwait(false))
            {
                return 2;
            }

            clock.Restart();
            failed = await ForEachAsync(count, count, i => connections[i]!.ExchangeAsync(i, messages, token), token).ConfigureAwait(false);
            if (failed is not null)
            {
                Console.Out.WriteLine($"fail exchange: {failed}");
                return 1;
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exchanged {(long)count * messages} messages in {clock.ElapsedMilliseconds} ms"));

            if (!await WaitForAsync("close", token).ConfigureAwait(false))
            {
                return 2;
            }

            clock.Restart();
            failed = await ForEachAsync(count, count, i => connections[i]!.CloseAsync(i, token), token).ConfigureAwait(false);
            if (failed is not null)
            {
                Console.Out.WriteLine($"fail close: {failed}");
                return 1;
            }

            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"closed {count} in {clock.ElapsedMilliseconds} ms"));
            return 0;
        }
        finally
        {
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }
    }

    // Runs body(0..count-1) with at most `concurrency` at once; every item runs even when some fail. Returns null,
    // or how many failed and the first failure.
    private static async Task<string?> ForEachAsync(int count, int concurrency, Func<int, Task> body, CancellationToken token)
    {
        var failures = 0;
        string? first = null;
        var options = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = token };
        await Parallel.ForEachAsync(Enumerable.Range(0, count), options, async (i, _) =>
        {
            try
            {
                await body(i).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (Interlocked.Increment(ref failures) == 1)
                {
                    first = $"{e.GetType().Name}: {e.Message}";
                }
            }
        }).ConfigureAwait(false);
        return failures == 0 ? null : $"{failures} of {count} failed, first: {OneLine(first!)}";
    }

    // False when the parent went away (stdin closed) or sent something else.
    private static async Task<bool> WaitForAsync(string command, CancellationToken token)
    {
        var line = await Console.In.ReadLineAsync(token).ConfigureAwait(false);
        if (line == command)
        {
            return true;
        }

        Console.Out.WriteLine($"fail expected '{command}' on stdin, got '{line}'");
        return false;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" | ");
}
