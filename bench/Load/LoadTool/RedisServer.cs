using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// The scale-out runs' Redis: Debian's <c>redis-server</c> started by the tool on a free loopback port with persistence
/// off (<c>--save "" --appendonly no</c>), ended by its process id. Also the tool's own small Redis client (RESP over a
/// plain socket): a PING round trip, to compare same-node deliveries with, and <c>INFO commandstats</c>, to count the
/// publishes a measurement caused.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private static RedisServer? s_running;
    private readonly Process _process;
    private readonly OutputTail _output = new();

    private RedisServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Starts redis-server (bounded wait of 10 s for its first PONG).</summary>
    public static async Task<RedisServer> StartAsync(string executable = "redis-server")
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            int free = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in (string[])["--port", free.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"])
            {
                info.ArgumentList.Add(argument);
            }

            var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + executable);
            var server = new RedisServer(process, free);
            server._output.Attach(process);
            s_running = server;
            long end = Environment.TickCount64 + 10_000;
            while (Environment.TickCount64 < end && !process.HasExited)
            {
                try
                {
                    await server.PingRoundTripMicrosAsync(1).ConfigureAwait(false);
                    return server;
                }
                catch (SocketException)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
            }

            server.Dispose();
            throw new InvalidOperationException($"redis-server did not answer within 10 s:{Environment.NewLine}{server.Tail()}");
        }
    }

    /// <summary>Kills the Redis the tool started, if any (from a signal handler).</summary>
    public static void KillRunning() => s_running?.Dispose();

    /// <summary>
    /// The median round trip of <paramref name="count"/> PINGs on one connection, in µs, one after the other with
    /// <paramref name="spacing"/> between them (so that they sample the same seconds as a measurement).
    /// </summary>
    public async Task<double> PingRoundTripMicrosAsync(int count, TimeSpan spacing = default)
    {
        using var socket = await ConnectAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        byte[] buffer = new byte[64];
        var samples = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await socket.SendAsync("PING\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            int filled = 0;
            while (filled < 7)   // +PONG\r\n
            {
                int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new SocketException((int)SocketError.ConnectionReset);
                }

                filled += read;
            }

            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            if (spacing > TimeSpan.Zero)
            {
                await Task.Delay(spacing).ConfigureAwait(false);
            }
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }

    /// <summary>How many PUBLISH (and SPUBLISH) commands Redis has run so far (<c>INFO commandstats</c>).</summary>
    public async Task<long> PublishCallsAsync()
    {
        using var socket = await ConnectAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync("INFO commandstats\r\n"u8.ToArray(), SocketFlags.None, timeout.Token).ConfigureAwait(false);
        byte[] buffer = new byte[64 * 1024];
        int filled = 0;
        int headerEnd = -1;
        int length = -1;
        while (filled < buffer.Length)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (headerEnd < 0)
            {
                headerEnd = buffer.AsSpan(0, filled).IndexOf("\r\n"u8);
                if (headerEnd > 0)
                {
                    length = int.Parse(Encoding.ASCII.GetString(buffer, 1, headerEnd - 1), CultureInfo.InvariantCulture);
                }
            }

            if (headerEnd > 0 && filled >= headerEnd + 2 + length)
            {
                break;
            }
        }

        long calls = 0;
        foreach (string line in Encoding.ASCII.GetString(buffer, 0, filled).Split("\r\n"))
        {
            if (line.StartsWith("cmdstat_publish:", StringComparison.Ordinal) || line.StartsWith("cmdstat_spublish:", StringComparison.Ordinal))
            {
                string value = line.Split(':')[1].Split(',')[0];   // calls=N
                calls += long.Parse(value["calls=".Length..], CultureInfo.InvariantCulture);
            }
        }

        return calls;
    }

    public string Tail()
    {
        return _output.ToString();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        if (ReferenceEquals(s_running, this))
        {
            s_running = null;
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port), timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
