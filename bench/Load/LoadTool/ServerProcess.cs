using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// A server started as a child process (`dotnet server.dll --urls http://127.0.0.1:PORT`) on a port that was free a
/// moment before. Logging is set to Warning for every server alike; its output is drained and kept for errors.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    // Every server still running, so a signal to the tool (SIGINT, SIGTERM) can end them: with interleaved rounds
    // several servers live at once for minutes, and none of them notices its parent's death.
    private static readonly HashSet<ServerProcess> Running = [];

    private readonly Process _process;
    private readonly OutputTail _output = new();

    private ServerProcess(Process process, int port, long startTimestamp)
    {
        _process = process;
        Port = port;
        StartTimestamp = startTimestamp;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Stopwatch timestamp taken just before the process was started.</summary>
    public long StartTimestamp { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts the server on a free loopback port; with <paramref name="cpus"/>, only on those CPUs (taskset).</summary>
    public static ServerProcess Start(string assemblyPath, IEnumerable<string> arguments, string? cpus = null)
    {
        int port = FreePort();
        var info = new ProcessStartInfo(cpus is null ? "dotnet" : "taskset")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (cpus is not null)
        {
            // taskset executes dotnet in its own process, so the process id (and its /proc CPU time) is the server's,
            // and the runtime sees only these CPUs from the start (thread pool and GC heaps sized for them).
            info.ArgumentList.Add("--cpu-list");
            info.ArgumentList.Add(cpus);
            info.ArgumentList.Add("dotnet");
        }

        info.ArgumentList.Add(assemblyPath);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        long start = Stopwatch.GetTimestamp();
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + assemblyPath);
        var server = new ServerProcess(process, port, start);
        server._output.Attach(process);
        lock (Running)
        {
            Running.Add(server);
        }

        return server;
    }

    /// <summary>Kills every server not yet disposed (from a signal handler; bounded wait per process).</summary>
    public static void KillAll()
    {
        ServerProcess[] running;
        lock (Running)
        {
            running = [.. Running];
        }

        foreach (ServerProcess server in running)
        {
            server.Kill();
        }
    }

    /// <summary>The last lines the server printed (for error messages).</summary>
    public string Tail()
    {
        return _output.ToString();
    }

    public void Dispose()
    {
        lock (Running)
        {
            if (!Running.Remove(this))
            {
                return;
            }
        }

        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
