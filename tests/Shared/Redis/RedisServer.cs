using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// A real <c>redis-server</c> as a child process, for tests: on a free 127.0.0.1 port, persistence off, its own
/// temporary directory, its output kept for failure messages. It can be stopped (killed, as a crash) and started
/// again on the same port, and is always ended by its process id (see <see cref="RedisProcesses"/>).
/// <c>build/setup.sh</c> installs Debian's redis-server.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>How long a start waits for the server to answer PING.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long <see cref="StartAgainAsync"/> keeps retrying while the port is still taken.</summary>
    public static readonly TimeSpan RebindTimeout = TimeSpan.FromSeconds(5);

    private const int PortAttempts = 5;
    private const string AddressInUse = "Address already in use";

    private readonly IReadOnlyList<string> _extraArguments;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private bool _disposed;

    private RedisServer(int port, int? clusterBusPort, string directory, IReadOnlyList<string> extraArguments)
    {
        Port = port;
        ClusterBusPort = clusterBusPort;
        DirectoryPath = directory;
        _extraArguments = extraArguments;
        Commands = new RedisCommands(port);
    }

    public int Port { get; }

    /// <summary>The cluster bus port of a cluster node (<c>--cluster-port</c>), else null.</summary>
    public int? ClusterBusPort { get; }

    /// <summary><c>127.0.0.1:port</c>, for StackExchange.Redis.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    /// <summary>The running server's process id; throws while it is stopped.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException($"The Redis server on port {Port} is not running.");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's <c>--dir</c> (deleted on dispose).</summary>
    public string DirectoryPath { get; }

    /// <summary>
    /// A connection for observing the server (INFO, PUBSUB…), opened on first use; it is closed when the server stops
    /// and reopens on the next command. Use <see cref="ConnectAsync"/> for a connection of your own (a subscriber).
    /// </summary>
    public RedisCommands Commands { get; }

    /// <summary>Everything the server wrote to stdout and stderr, over all its starts.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts a server and waits until it answers PING. <paramref name="extraArguments"/> are appended to the command
    /// line (<c>"--maxclients", "50"</c>). When the port is taken meanwhile, it retries with another one.
    /// </summary>
    public static Task<RedisServer> StartAsync(IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default) =>
        StartAsync(extraArguments, cluster: false, cancellationToken);

    internal static async Task<RedisServer> StartAsync(IEnumerable<string>? extraArguments, bool cluster, CancellationToken cancellationToken)
    {
        var arguments = extraArguments?.ToArray() ?? [];
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(
                RedisPorts.Reserve(), cluster ? RedisPorts.Reserve() : null, RedisProcesses.CreateDirectory(), arguments);
            try
            {
                if (await server.TryStartAsync(cancellationToken))
                {
                    return server;
                }
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            // Someone took the port between the probe and redis' bind: another port, another server.
            string log = server.Log;
            await server.DisposeAsync();
            if (attempt == PortAttempts)
            {
                throw new InvalidOperationException($"redis-server found its port taken {PortAttempts} times in a row. Last log:\n{log}");
            }
        }
    }

    /// <summary>A new connection of its own to this server (a subscriber, a second client); the caller disposes it.</summary>
    public Task<RedisCommands> ConnectAsync(CancellationToken cancellationToken = default) => RedisCommands.ConnectAsync(Port, cancellationToken);

    /// <summary>
    /// Kills the server (SIGKILL by its process id: clients see their connections reset, as in a crash) and waits for it
    /// to exit. Nothing happens if it is not running.
    /// </summary>
    public async Task StopAsync()
    {
        await Commands.DisconnectAsync();
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Exited by itself already.
            }

            // Also waits for the redirected output to end, so the log is complete.
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            RedisProcesses.Untrack(process);
            process.Dispose();
        }
    }

    /// <summary>
    /// Starts the stopped server again, on the same port and directory (a cluster node keeps its identity through
    /// nodes.conf), retrying for up to <see cref="RebindTimeout"/> while the port is still taken, and waits until it
    /// answers PING.
    /// </summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_process is not null)
        {
            throw new InvalidOperationException($"The Redis server on port {Port} is running: stop it first.");
        }

        var deadline = Stopwatch.StartNew();
        for (int attempt = 1; ; attempt++)
        {
            AppendLog($"--- start again (attempt {attempt}) ---");
            if (await TryStartAsync(cancellationToken))
            {
                return;
            }

            if (deadline.Elapsed > RebindTimeout)
            {
                throw new InvalidOperationException(
                    $"redis-server could not bind port {Port} again within {RebindTimeout.TotalSeconds:0} s. Log:\n{Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Min(attempt, 5)), cancellationToken);
        }
    }

    /// <summary>Stops the server if it runs, and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            await StopAsync();
            await Commands.DisposeAsync();
        }
        finally
        {
            RedisPorts.Release(Port);
            if (ClusterBusPort is { } busPort)
            {
                RedisPorts.Release(busPort);
            }

            try
            {
                Directory.Delete(DirectoryPath, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // Nothing to delete.
            }
        }
    }

    public override string ToString() => $"redis-server {ConnectionString}" + (_process is null ? " (stopped)" : $" (pid {_process.Id})");

    /// <summary>Starts the process and waits for PING; false when it could not bind its port (the caller retries).</summary>
    private async Task<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        var process = Launch();
        _process = process;
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                string exitCode = ExitCodeOf(process);
                await StopAsync();
                if (Log.Contains(AddressInUse, StringComparison.Ordinal))
                {
                    return false;
                }

                throw new InvalidOperationException($"redis-server on port {Port} exited at start (code {exitCode}). Log:\n{Log}");
            }

            if (await AnswersAsOurselvesAsync(process.Id))
            {
                return true;
            }

            if (elapsed.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new TimeoutException(
                    $"redis-server on port {Port} did not answer PING within {StartTimeout.TotalSeconds:0} s. Log:\n{Log}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    private Process Launch()
    {
        var startInfo = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DirectoryPath,
        };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", DirectoryPath,
            "--pidfile", Path.Combine(DirectoryPath, RedisProcesses.PidFileName),
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
            "--logfile", "",
            .. ClusterBusPort is { } busPort
                ? (string[])
                [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "5000",
                    "--cluster-port", busPort.ToString(CultureInfo.InvariantCulture),
                ]
                : [],
            .. _extraArguments,
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException("redis-server could not be started.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed (or not on PATH): run build/setup.sh.", e);
        }

        RedisProcesses.Track(process);
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Whether the port answers PING, from this very process: while a server that failed to bind is still exiting,
    /// another one may hold the port.
    /// </summary>
    private async Task<bool> AnswersAsOurselvesAsync(int processId)
    {
        await using var probe = new RedisCommands(Port);
        try
        {
            var pong = await probe.ExecuteAsync([(ReadOnlyMemory<byte>)"PING"u8.ToArray()], TimeSpan.FromSeconds(1), CancellationToken.None);
            if (pong.Kind != RedisReplyKind.SimpleString)
            {
                return false; // -LOADING and the like: not ready yet.
            }

            var server = await probe.InfoAsync("server");
            return server.GetValueOrDefault("process_id") == processId.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private static string ExitCodeOf(Process process)
    {
        try
        {
            return process.ExitCode.ToString(CultureInfo.InvariantCulture);
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }
}
