using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// One fan-out measurement against one started server: <c>members</c> clients in one room, one of them (the first) also
/// the sender of 32-byte texts that the server sends to the whole room. Two modes:
/// <list type="bullet">
/// <item>throughput: a window of <see cref="FanoutSettings.Window"/> messages in flight, a message leaving the window when
/// the last member got it, so no server's queues grow without bound and all three get the same treatment; the result is
/// delivered messages per second and server CPU per delivered message over the measured seconds;</item>
/// <item>latency: a fixed offered rate (no window), each member recording receive time − send time (the sender's
/// Stopwatch timestamp is in the message; sender and members are in this process) for the messages sent in the
/// measured window; optionally with one more member that stops reading (a socket with a small receive buffer that is
/// never read), after a fill phase that makes its server-side buffers and queue full.</item>
/// </list>
/// Every phase is bounded in time; the connections are aborted at the end, also on failure.
/// With several nodes (the scale-out runs: the same server started more than once on one Redis) member i connects to
/// node i mod n, so the sender (member 0) and every n-th member are on node 0; server CPU is the sum over the nodes,
/// Redis's CPU and publishes are counted over the measured seconds, a PING round trip to Redis is sampled during them,
/// and latencies are also split into members on the sender's node and members on the others.
/// </summary>
internal sealed class FanoutBenchmark(ServerKind kind, IReadOnlyList<ServerProcess> nodes, FanoutSettings settings, RedisServer? redis = null) : IFanoutSink
{
    private readonly ServerProcess _server = nodes[0];

    private const uint ProbeBase = 0xF000_0000;
    private const int RingSize = 4096;
    private const int MaxProbes = 120;
    private readonly int[] _pending = new int[RingSize];
    private readonly int[] _probes = new int[MaxProbes];
    private SemaphoreSlim _window = new(0);
    private bool _windowed;
    private bool _recordLatency;
    private long _measureFrom = long.MaxValue;
    private long _measureTo = long.MaxValue;
    private int _closed;
    private long _sent;

    public async Task<FanoutResult> RunAsync(string scenario, int members, bool latencyMode, bool stalled)
    {
        using var cancel = new CancellationTokenSource(settings.Warmup + settings.Measure + TimeSpan.FromMinutes(4));
        var connections = new FanoutConnection?[members];
        FanoutConnection? stalledMember = null;
        try
        {
            await Parallel.ForAsync(0, members, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancel.Token }, async (i, token) =>
            {
                FanoutConnection connection = await FanoutConnection.ConnectAsync(nodes[i % nodes.Count].Port, kind.RoomPath!, kind.SignalR, FanoutSettings.Room, this, null, token).ConfigureAwait(false);
                connection.Node = i % nodes.Count;
                connections[i] = connection;
            }).ConfigureAwait(false);
            FanoutConnection[] readers = [.. connections.Select(static c => c!)];
            Task[] loops = [.. readers.Select(static c => Task.Run(c.ReceiveLoopAsync))];
            if (stalled)
            {
                // Joins like the others, then never reads: its kernel receive buffer is kept small so that what the
                // server holds for it (socket buffer, send queue) fills with the fill phase's bytes.
                stalledMember = await FanoutConnection.ConnectAsync(_server.Port, kind.RoomPath!, kind.SignalR, FanoutSettings.Room, this, 4096, cancel.Token).ConfigureAwait(false);
            }

            _recordLatency = latencyMode;
            FanoutConnection sender = readers[0];
            await WaitForRoomAsync(sender, members, cancel.Token).ConfigureAwait(false);

            uint sequence = 0;
            string? stalledQueue = null;
            double fillSeconds = double.NaN;
            if (latencyMode && (stalled || nodes.Count == 1))
            {
                // Fill (not in the scale-out runs, which have no stalled member): large messages through the window (counted on the readers only) until the stalled member's
                // side is full; bounded in time (a server that waits for the stalled member stops here). The room
                // without a stalled member gets the same fill, so the two differ only by that member.
                using var fillStop = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
                fillStop.CancelAfter(settings.FillTimeout);
                long fillStart = Stopwatch.GetTimestamp();
                (sequence, _) = await SendWindowedAsync([sender], members, settings.FillBytes, sequence, settings.FillMessages, fillStop.Token).ConfigureAwait(false);
                fillSeconds = Stopwatch.GetElapsedTime(fillStart).TotalSeconds;
                stalledQueue = stalledMember is null ? null : TcpQueues.ServerSendQueue(_server.Port, stalledMember.LocalPort);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
            Task<(uint, long)> sending = latencyMode
                ? SendAtRateAsync(sender, sequence, stop.Token)
                : SendWindowedAsync(readers[..Math.Min(settings.Senders, members)], members, FanoutSettings.MessageBytes, sequence, long.MaxValue, stop.Token);
            await Task.Delay(settings.Warmup, cancel.Token).ConfigureAwait(false);

            long deliveredBefore = readers.Sum(static c => Volatile.Read(ref c.Received));
            long readsBefore = readers.Sum(static c => Volatile.Read(ref c.Reads));
            Task<long?> serverSends = SendSyscalls.CountAsync(settings.CountSends && nodes.Count == 1 ? _server.Pid : null, settings.Measure);
            long sentBefore = Volatile.Read(ref _sent);
            long publishesBefore = redis is null ? 0 : await redis.PublishCallsAsync().ConfigureAwait(false);
            TimeSpan redisCpuBefore = redis is null ? default : ProcessStats.CpuTime(redis.Pid);
            TimeSpan serverCpuBefore = NodesCpuTime();
            TimeSpan clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            long measureStart = Stopwatch.GetTimestamp();
            Volatile.Write(ref _measureTo, long.MaxValue);
            Volatile.Write(ref _measureFrom, measureStart);
            // PINGs spread over the measured seconds (at most 100, 20 ms apart), so the round trip is taken under the same load.
            Task<double> redisPing = redis is null ? Task.FromResult(double.NaN)
                : redis.PingRoundTripMicrosAsync((int)Math.Clamp(settings.Measure.TotalMilliseconds / 40, 10, 100), TimeSpan.FromMilliseconds(20));
            await Task.Delay(settings.Measure, cancel.Token).ConfigureAwait(false);
            long measureEnd = Stopwatch.GetTimestamp();
            Volatile.Write(ref _measureTo, measureEnd);
            long deliveredAfter = readers.Sum(static c => Volatile.Read(ref c.Received));
            long reads = readers.Sum(static c => Volatile.Read(ref c.Reads)) - readsBefore;
            TimeSpan serverCpuAfter = NodesCpuTime();
            TimeSpan redisCpuAfter = redis is null ? default : ProcessStats.CpuTime(redis.Pid);
            long publishesAfter = redis is null ? 0 : await redis.PublishCallsAsync().ConfigureAwait(false);
            long sentDuring = Volatile.Read(ref _sent) - sentBefore;   // over the same span as the publishes
            double redisPingMicros = await redisPing.ConfigureAwait(false);
            TimeSpan clientCpuAfter = Process.GetCurrentProcess().TotalProcessorTime;
            string load = ProcessStats.LoadAverage();
            await stop.CancelAsync().ConfigureAwait(false);
            (uint _, long sentInWindow) = await sending.ConfigureAwait(false);
            if (stalled)
            {
                stalledQueue += " → " + TcpQueues.ServerSendQueue(_server.Port, stalledMember!.LocalPort);
            }

            long expected = sentInWindow * members;
            long latencies = 0;
            if (latencyMode)
            {
                // Let what was sent in the window arrive (bounded): a message still missing then counts as undelivered.
                long drainEnd = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 2;
                while (Stopwatch.GetTimestamp() < drainEnd && readers.Sum(static c => (long)c.Latencies.Count) < expected)
                {
                    await Task.Delay(20, cancel.Token).ConfigureAwait(false);
                }

                latencies = readers.Sum(static c => (long)c.Latencies.Count);
            }

            double seconds = Stopwatch.GetElapsedTime(measureStart, measureEnd).TotalSeconds;
            long delivered = deliveredAfter - deliveredBefore;
            long? sends = await serverSends.ConfigureAwait(false);
            (double p50, double p99, double p999) = latencyMode ? LatencyHistogram.Percentiles(readers.Select(static c => c.Latencies)) : (double.NaN, double.NaN, double.NaN);
            (double sameP50, double sameP99, _) = latencyMode && (nodes.Count > 1 || redis is not null) ? LatencyHistogram.Percentiles(readers.Where(static c => c.Node == 0).Select(static c => c.Latencies)) : (double.NaN, double.NaN, double.NaN);
            (double otherP50, double otherP99, _) = latencyMode && nodes.Count > 1 ? LatencyHistogram.Percentiles(readers.Where(static c => c.Node != 0).Select(static c => c.Latencies)) : (double.NaN, double.NaN, double.NaN);
            await CloseAsync(connections, stalledMember).ConfigureAwait(false);
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            return new FanoutResult(
                scenario, kind.Name, members, stalled, delivered, delivered / seconds,
                delivered == 0 ? double.NaN : (serverCpuAfter - serverCpuBefore).TotalMicroseconds / delivered,
                delivered == 0 ? double.NaN : (clientCpuAfter - clientCpuBefore).TotalMicroseconds / delivered,
                latencyMode ? expected - latencies : 0, p50, p99, p999, Volatile.Read(ref _closed), stalledQueue, load)
            {
                FillSeconds = fillSeconds,
                MessagesPerRead = reads == 0 ? double.NaN : delivered / (double)reads,
                MessagesPerServerSend = sends is > 0 ? delivered / (double)sends.Value : double.NaN,
                Nodes = nodes.Count,
                RedisCpuMillisPer100k = redis is null || delivered == 0 ? double.NaN : (redisCpuAfter - redisCpuBefore).TotalMilliseconds * 100_000 / delivered,
                PublishesPerMessage = redis is null || sentDuring == 0 ? double.NaN : (publishesAfter - publishesBefore) / (double)sentDuring,
                RedisPingMicros = redisPingMicros,
                SameNodeP50Micros = sameP50,
                SameNodeP99Micros = sameP99,
                OtherNodeP50Micros = otherP50,
                OtherNodeP99Micros = otherP99,
            };
        }
        catch
        {
            await cancel.CancelAsync().ConfigureAwait(false);
            await CloseAsync(connections, stalledMember).ConfigureAwait(false);
            throw;
        }
    }

    public void Delivered(FanoutConnection member, long sentTimestamp, uint sequence, long receivedTimestamp)
    {
        if (sequence >= ProbeBase)
        {
            Interlocked.Increment(ref _probes[(int)(sequence - ProbeBase) % MaxProbes]);
            return;
        }

        if (_windowed && Interlocked.Decrement(ref _pending[sequence % RingSize]) == 0)
        {
            _window.Release();
        }

        if (_recordLatency && sentTimestamp >= Volatile.Read(ref _measureFrom) && sentTimestamp < Volatile.Read(ref _measureTo))
        {
            member.Latencies.Add(receivedTimestamp - sentTimestamp);
        }
    }

    public void Closed() => Interlocked.Increment(ref _closed);

    // User + system CPU of every node so far.
    private TimeSpan NodesCpuTime()
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (ServerProcess node in nodes)
        {
            total += ProcessStats.CpuTime(node.Pid);
        }

        return total;
    }

    // Until one probe reaches every member: a member counts once the server has it in the room (the annotated servers
    // join it in OnOpen, after the handshake's response), so no message of the measurement can miss a member.
    private async Task WaitForRoomAsync(FanoutConnection sender, int members, CancellationToken cancellationToken)
    {
        // A probe a second, each checked until the end: delivering one to 10,000 members may take longer than that.
        int sent = 0;
        long deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * MaxProbes / 2);
        long nextProbe = 0;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Stopwatch.GetTimestamp() >= nextProbe && sent < MaxProbes)
            {
                await sender.SendAsync(Frame(kind, ProbeBase + (uint)sent, FanoutSettings.MessageBytes), cancellationToken).ConfigureAwait(false);
                sent++;
                nextProbe = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
            }

            for (int probe = 0; probe < sent; probe++)
            {
                if (Volatile.Read(ref _probes[probe]) >= members)
                {
                    return;
                }
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        throw new TimeoutException($"{kind.Name}: no probe reached all {members} members within {MaxProbes / 2} s.");
    }

    // At most Window messages in flight: a message leaves the window when the last of `members` readers got it (a ring
    // of counters, far larger than the window, so a slot is never reused while its message is out). The senders take
    // turns message by message (several senders: the server handles their messages concurrently, and a member may get
    // two senders' messages in either order). Returns the next sequence number and how many messages were sent while
    // the measured window was open.
    private async Task<(uint Next, long SentInWindow)> SendWindowedAsync(FanoutConnection[] senders, int members, int bytes, uint sequence, long count, CancellationToken cancellationToken)
    {
        _window = new SemaphoreSlim(settings.Window);
        Volatile.Write(ref _windowed, true);
        long sentInWindow = 0;
        byte[] frame = Frame(kind, sequence, bytes);
        try
        {
            for (long i = 0; i < count; i++)
            {
                await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _pending[sequence % RingSize], members);
                sentInWindow += await SendStampedAsync(senders[i % senders.Length], frame, sequence++, cancellationToken).ConfigureAwait(false) ? 1 : 0;
            }
        }
        catch (OperationCanceledException)
        {
            // The phase's time is up.
        }

        Volatile.Write(ref _windowed, false);
        return (sequence, sentInWindow);
    }

    // The fixed offered rate: message i is due at start + i / Rate, checked every millisecond or so; what is due goes at
    // once. Latency counts from the moment a message is handed to the socket (its timestamp), not from when it was due.
    private async Task<(uint Next, long SentInWindow)> SendAtRateAsync(FanoutConnection sender, uint sequence, CancellationToken cancellationToken)
    {
        long sentInWindow = 0;
        byte[] frame = Frame(kind, sequence, FanoutSettings.MessageBytes);
        long start = Stopwatch.GetTimestamp();
        long sent = 0;
        try
        {
            while (true)
            {
                long due = (long)((Stopwatch.GetTimestamp() - start) * (double)settings.Rate / Stopwatch.Frequency);
                for (; sent < due; sent++)
                {
                    sentInWindow += await SendStampedAsync(sender, frame, sequence++, cancellationToken).ConfigureAwait(false) ? 1 : 0;
                }

                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The phase's time is up.
        }

        return (sequence, sentInWindow);
    }

    // Stamps the message with the time and its sequence number and sends it; true when the measured window was open.
    private async ValueTask<bool> SendStampedAsync(FanoutConnection sender, byte[] frame, uint sequence, CancellationToken cancellationToken)
    {
        long now = Stopwatch.GetTimestamp();
        Stamp(frame, now, sequence);
        await sender.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _sent);
        return now >= Volatile.Read(ref _measureFrom) && now < Volatile.Read(ref _measureTo);
    }

    // A client frame of the sender: the annotated servers take the message as the whole text; SignalR gets an
    // invocation of Send(room, message) without an invocation id (no completion comes back), as a chat client sends.
    private static byte[] Frame(ServerKind kind, uint sequence, int bytes)
    {
        var message = new StringBuilder("T").Append(0L.ToString("x16", CultureInfo.InvariantCulture)).Append(sequence.ToString("x8", CultureInfo.InvariantCulture));
        while (message.Length < bytes)
        {
            message.Append((char)('a' + (message.Length % 26)));
        }

        string payload = kind.SignalR
            ? $"{{\"type\":1,\"target\":\"Send\",\"arguments\":[\"{FanoutSettings.Room}\",\"{message}\"]}}\u001e"
            : message.ToString();
        return FanoutConnection.Frame(Encoding.ASCII.GetBytes(payload));
    }

    // Writes the timestamp and sequence number in place (the frame's only 'T' is the message's first byte).
    private static void Stamp(byte[] frame, long timestamp, uint sequence)
    {
        int at = Array.IndexOf(frame, (byte)'T', 6);
        timestamp.TryFormat(frame.AsSpan(at + 1, 16), out _, "x16", CultureInfo.InvariantCulture);
        sequence.TryFormat(frame.AsSpan(at + 17, 8), out _, "x8", CultureInfo.InvariantCulture);
    }

    private static async Task CloseAsync(FanoutConnection?[] connections, FanoutConnection? stalledMember)
    {
        foreach (FanoutConnection? connection in connections)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (stalledMember is not null)
        {
            await stalledMember.DisposeAsync().ConfigureAwait(false);
        }

        // Let the server see the closes before the next measurement starts.
        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
    }
}

/// <summary>The sizes of the fan-out profiles.</summary>
internal sealed record FanoutSettings
{
    public const string Room = "bench";

    public const int MessageBytes = 32;

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(6);

    public int Window { get; init; } = 32;

    /// <summary>How many members send in the throughput mode, taking turns message by message (1: member 0 alone).</summary>
    public int Senders { get; init; } = 1;

    public int Rate { get; init; } = 200;

    public int FillMessages { get; init; } = 3000;

    public int FillBytes { get; init; } = 2500;

    public TimeSpan FillTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Count the server's send syscalls over the measured seconds (perf stat; root or CAP_PERFMON).</summary>
    public bool CountSends { get; init; }

    public int Rounds { get; init; } = 3;
}

/// <summary>One fan-out measurement.</summary>
internal sealed record FanoutResult(
    string Scenario,
    string Server,
    int Members,
    bool Stalled,
    long Delivered,
    double DeliveredPerSecond,
    double ServerCpuMicrosPerDelivered,
    double ClientCpuMicrosPerDelivered,
    long Undelivered,
    double P50Micros,
    double P99Micros,
    double P999Micros,
    int Closes,
    string? StalledSendQueue,
    string LoadAverage)
{
    public int Round { get; init; } = 1;

    public int Position { get; init; } = 1;

    /// <summary>How long the fill before a latency measurement took (its timeout: the room waited for the stalled member).</summary>
    public double FillSeconds { get; init; } = double.NaN;

    /// <summary>Delivered messages per socket read of the members (the tool's side of the coalescing).</summary>
    public double MessagesPerRead { get; init; } = double.NaN;

    /// <summary>Delivered messages per sendto/sendmsg syscall of the server (with --count-sends).</summary>
    public double MessagesPerServerSend { get; init; } = double.NaN;

    /// <summary>How many nodes served the room (2 in the scale-out runs).</summary>
    public int Nodes { get; init; } = 1;

    /// <summary>redis-server's CPU (utime + stime) over the measured seconds, in ms per 100,000 delivered messages.</summary>
    public double RedisCpuMillisPer100k { get; init; } = double.NaN;

    /// <summary>PUBLISH commands Redis ran over the measured seconds per message the sender sent in them.</summary>
    public double PublishesPerMessage { get; init; } = double.NaN;

    /// <summary>The median round trip of the tool's PINGs to Redis during the measured seconds.</summary>
    public double RedisPingMicros { get; init; } = double.NaN;

    /// <summary>Latency percentiles of the members on the sender's node (node 0) and of those on the other nodes.</summary>
    public double SameNodeP50Micros { get; init; } = double.NaN;

    public double SameNodeP99Micros { get; init; } = double.NaN;

    public double OtherNodeP50Micros { get; init; } = double.NaN;

    public double OtherNodeP99Micros { get; init; } = double.NaN;
}

/// <summary>
/// The server's socket send syscalls over a window, counted by <c>perf stat</c> on the tracepoints (in-kernel counters,
/// no sampling): how many messages each syscall carried, i.e. how much the server coalesced.
/// </summary>
internal static class SendSyscalls
{
    public static async Task<long?> CountAsync(int? pid, TimeSpan window)
    {
        if (pid is null)
        {
            return null;
        }

        var info = new System.Diagnostics.ProcessStartInfo("perf") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])["stat", "-x", ",", "-e", "syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg", "-p", pid.Value.ToString(CultureInfo.InvariantCulture), "--", "sleep", window.TotalSeconds.ToString(CultureInfo.InvariantCulture)])
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            using var perf = System.Diagnostics.Process.Start(info)!;
            string output = await perf.StandardError.ReadToEndAsync().WaitAsync(window + TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await perf.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            long total = 0;
            foreach (string line in output.Split('\n'))
            {
                string[] fields = line.Split(',');
                if (fields.Length > 2 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                {
                    total += count;
                }
            }

            return total;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or TimeoutException or InvalidOperationException)
        {
            return null;
        }
    }
}

/// <summary>Reads a connection's queues from /proc/net/tcp (IPv4 loopback).</summary>
internal static class TcpQueues
{
    /// <summary>The bytes queued to send on the server's side of the connection from <paramref name="clientPort"/>, e.g. "1.2 MB".</summary>
    public static string ServerSendQueue(int serverPort, int clientPort)
    {
        foreach (string line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (Port(fields[1]) == serverPort && Port(fields[2]) == clientPort)
            {
                long tx = long.Parse(fields[4].Split(':')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return $"{tx / 1e6:F2} MB";
            }
        }

        return "closed";

        static int Port(string address) => int.Parse(address[(address.IndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
