using System.Diagnostics;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>Runs the startup, idle-connection and echo profiles against one started server.</summary>
internal sealed class ServerBenchmark(ServerKind kind, ServerProcess server, LoadSettings settings) : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        MaxConnectionsPerServer = int.MaxValue,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    });

    private Uri EchoUri => new($"ws://127.0.0.1:{server.Port}{kind.EchoPath}");

    /// <summary>Polls until a connection is accepted (and one echo answered); bounded to 60 s.</summary>
    public async Task<StartupResult> MeasureStartupAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        byte[] message = Message(settings.SmallMessageBytes);
        while (true)
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"{kind.Name} exited during startup:{Environment.NewLine}{server.Tail()}");
            }

            try
            {
                await using IEchoConnection connection = await ConnectAsync(message, deadline.Token).ConfigureAwait(false);
                double elapsed = Stopwatch.GetElapsedTime(server.StartTimestamp).TotalMilliseconds;
                await connection.EchoAsync(deadline.Token).ConfigureAwait(false);
                await connection.CloseAsync(graceful: true).ConfigureAwait(false);
                return new StartupResult(kind.Name, elapsed, ProcessStats.LoadAverage());
            }
            catch (Exception e) when (!deadline.IsCancellationRequested && e is HttpRequestException or System.Net.WebSockets.WebSocketException or IOException)
            {
                await Task.Delay(5, deadline.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Warms the server up with one connection for the warm-up time.</summary>
    public async Task WarmUpAsync()
    {
        using var cancel = new CancellationTokenSource(settings.Warmup + TimeSpan.FromSeconds(30));
        await using IEchoConnection connection = await ConnectAsync(Message(settings.SmallMessageBytes), cancel.Token).ConfigureAwait(false);
        long end = Stopwatch.GetTimestamp() + (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            await connection.EchoAsync(cancel.Token).ConfigureAwait(false);
        }

        await connection.CloseAsync(graceful: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the idle connections (each answers one echo, so the server has finished setting it up), lets them sit,
    /// and reports the growth of the server's resident memory per connection.
    /// </summary>
    public async Task<IdleResult> MeasureIdleAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        long before = ProcessStats.ResidentBytes(server.Pid);
        byte[] message = Message(settings.SmallMessageBytes);
        var connections = new IEchoConnection?[settings.IdleConnections];
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        int opened = 0;
        await Parallel.ForAsync(0, settings.IdleConnections, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel.Token }, async (i, token) =>
        {
            try
            {
                IEchoConnection connection = await ConnectAsync(message, token).ConfigureAwait(false);
                await connection.EchoAsync(token).ConfigureAwait(false);
                connections[i] = connection;
                Interlocked.Increment(ref opened);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Counted by `opened`: the table shows how many connections the figure is for.
            }
        }).ConfigureAwait(false);

        if (settings.IdleHold > TimeSpan.FromSeconds(3))
        {
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {kind.Name}: {opened} idle connections open in server process {server.Pid} for {settings.IdleHold.TotalSeconds} s");
        }

        await Task.Delay(settings.IdleHold).ConfigureAwait(false);
        long after = ProcessStats.ResidentBytes(server.Pid);
        string load = ProcessStats.LoadAverage();
        await CloseAllAsync(connections, graceful: false).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return new IdleResult(kind.Name, opened, before, after, load);
    }

    /// <summary>
    /// Closed-loop echo: each connection sends, waits for the echo, records the round trip, repeats. The server keeps
    /// running between calls (interleaved rounds), so a failed measurement aborts its own connections and stops its
    /// loops before it throws: nothing of it runs on into the next server's measurement.
    /// </summary>
    public async Task<EchoResult> RunEchoAsync(string profile, int connectionCount, int messageBytes)
    {
        byte[] message = Message(messageBytes);
        using var cancel = new CancellationTokenSource(settings.Warmup + settings.Measure + TimeSpan.FromMinutes(2));
        var connections = new IEchoConnection?[connectionCount];
        try
        {
            await Parallel.ForAsync(0, connectionCount, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel.Token }, async (i, token) =>
                connections[i] = await ConnectAsync(message, token).ConfigureAwait(false)).ConfigureAwait(false);

            var histograms = new LatencyHistogram[connectionCount];
            int measuring = 0;   // 0 warm-up, 1 measuring, 2 stop
            int errors = 0;
            var loops = new Task[connectionCount];
            for (int i = 0; i < connectionCount; i++)
            {
                var histogram = histograms[i] = new LatencyHistogram();
                IEchoConnection connection = connections[i]!;
                loops[i] = Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            int phase = Volatile.Read(ref measuring);
                            if (phase == 2)
                            {
                                return;
                            }

                            long start = Stopwatch.GetTimestamp();
                            await connection.EchoAsync(cancel.Token).ConfigureAwait(false);
                            if (phase == 1)
                            {
                                histogram.Add(Stopwatch.GetTimestamp() - start);
                            }
                        }
                    }
                    catch (Exception)
                    {
                        Interlocked.Increment(ref errors);
                    }
                });
            }

            await Task.Delay(settings.Warmup).ConfigureAwait(false);
            // CPU time of the server process over the measured seconds only: the process lives on between
            // measurements, so only the delta across this window belongs to this profile and server.
            TimeSpan cpuBefore = ProcessStats.CpuTime(server.Pid);
            long measureStart = Stopwatch.GetTimestamp();
            Volatile.Write(ref measuring, 1);
            await Task.Delay(settings.Measure).ConfigureAwait(false);
            Volatile.Write(ref measuring, 2);
            TimeSpan measured = Stopwatch.GetElapsedTime(measureStart);
            TimeSpan cpuAfter = ProcessStats.CpuTime(server.Pid);
            string load = ProcessStats.LoadAverage();
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            await CloseAllAsync(connections, graceful: true).ConfigureAwait(false);

            long roundTrips = histograms.Sum(static h => (long)h.Count);
            (double p50, double p99, double p999) = LatencyHistogram.Percentiles(histograms);
            double cpuMicros = roundTrips == 0 ? double.NaN : (cpuAfter - cpuBefore).TotalMicroseconds / roundTrips;
            return new EchoResult(profile, kind.Name, roundTrips, roundTrips / measured.TotalSeconds, p50, p99, p999, cpuMicros, errors, load);
        }
        catch
        {
            // Stop the loops (their echoes observe the token) and abort every connection opened so far.
            await cancel.CancelAsync().ConfigureAwait(false);
            await CloseAllAsync(connections, graceful: false).ConfigureAwait(false);
            throw;
        }
    }

    public void Dispose() => _invoker.Dispose();

    private Task<IEchoConnection> ConnectAsync(byte[] message, CancellationToken cancellationToken) => kind.SignalR
        ? SignalREchoConnection.ConnectAsync(EchoUri, _invoker, message, cancellationToken)
        : PlainEchoConnection.ConnectAsync(EchoUri, _invoker, message, cancellationToken);

    private static async Task CloseAllAsync(IEchoConnection?[] connections, bool graceful)
    {
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (connection, _) =>
        {
            if (connection is not null)
            {
                await connection.CloseAsync(graceful).ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    // ASCII letters: valid UTF-8 for a text message and needing no JSON escaping for SignalR.
    private static byte[] Message(int length)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }
}
