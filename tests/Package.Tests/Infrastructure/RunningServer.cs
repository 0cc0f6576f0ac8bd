using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Package.Tests.Infrastructure;

/// <summary>
/// A server program started as a child process on a free loopback port (<c>--urls</c>); ready once the
/// port accepts connections. Disposing kills its process tree.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RunningServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>How long from process start until the port accepted a connection.</summary>
    public TimeSpan StartupTime { get; private set; }

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

    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    /// <param name="fileName">The executable: a native binary, or <c>dotnet</c> with the assembly as first argument.</param>
    public static async Task<RunningServer> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        int port = FreePort();
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add($"http://127.0.0.1:{port}");

        var stopwatch = Stopwatch.StartNew();
        var process = new Process { StartInfo = startInfo };
        var server = new RunningServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"'{fileName}' exited with code {process.ExitCode} before listening:\n{server.Log}");
            }

            if (stopwatch.Elapsed > TimeSpan.FromSeconds(60))
            {
                await server.DisposeAsync();
                throw new TimeoutException($"'{fileName}' did not listen on port {port} within 60 s:\n{server.Log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                server.StartupTime = stopwatch.Elapsed;
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
    }

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
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
