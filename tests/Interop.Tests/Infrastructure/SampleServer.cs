using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// One of the samples running as a child process on a free loopback port (<c>--urls</c>), with the sample's
/// project folder as working directory (its content root, as with <c>dotnet run</c>). Disposing kills the
/// whole process tree.
/// </summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private const int MaxLogChars = 32 * 1024;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _log;
    // Set when the host logs that it listens (ASP.NET Core's "Now listening on:" line) or the process exits.
    private readonly TaskCompletionSource _started;

    private SampleServer(Process process, StringBuilder log, TaskCompletionSource started, int port)
    {
        _process = process;
        _log = log;
        _started = started;
        Port = port;
    }

    public int Port { get; }

    public Uri HttpBase => new($"http://127.0.0.1:{Port}/");

    /// <summary>A ws:// address on the server, e.g. <c>WebSocketUri("/echo")</c>.</summary>
    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    /// <summary>What the sample printed so far (the end of it), for failure messages.</summary>
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

    /// <summary>Starts the sample (e.g. "Annotated.Samples.Echo") and waits until it accepts connections.</summary>
    /// <param name="assemblyName">The sample's assembly.</param>
    /// <param name="arguments">More command-line arguments, after <c>--urls</c> (e.g. <c>--ConnectionStrings:Redis=…</c>).</param>
    public static async Task<SampleServer> StartAsync(string assemblyName, params string[] arguments)
    {
        var assembly = InteropLocations.SampleAssembly(assemblyName);
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The sample {assemblyName} is not built: {assembly} does not exist.");
        }

        // Another process may take the port between FreePort releasing it and the sample binding it: retry then.
        for (var attempt = 1; ; attempt++)
        {
            var server = Launch(assemblyName, assembly, FreePort.Next(), arguments);
            try
            {
                await server.WaitUntilAcceptingAsync();
                return server;
            }
            catch (Exception) when (attempt < 3 && server._process.HasExited && server.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await server.DisposeAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
    }

    private static SampleServer Launch(string assemblyName, string assembly, int port, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(DotNetHost())
        {
            WorkingDirectory = InteropLocations.SampleProjectDirectory(assemblyName),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(assembly);
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";

        var log = new StringBuilder();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            Append(log, e.Data);
            if (e.Data?.Contains("Now listening on:", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.Exited += (_, _) => started.TrySetResult();
        if (!process.Start())
        {
            throw new InvalidOperationException($"The sample {assemblyName} could not be started.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new SampleServer(process, log, started, port);
    }

    // Waits for the host's own word that it listens (no polling), then checks once that the port accepts.
    private async Task WaitUntilAcceptingAsync()
    {
        try
        {
            await _started.Task.WaitAsync(s_startTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(
                $"The sample did not say it listens on port {Port} within {s_startTimeout.TotalSeconds:0} s. Output:\n{Log}");
        }

        if (_process.HasExited)
        {
            throw new InvalidOperationException(
                $"The sample exited with code {_process.ExitCode} before accepting connections on port {Port}. Output:\n{Log}");
        }

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port).WaitAsync(TimeSpan.FromSeconds(10));
    }

    public ValueTask DisposeAsync() => ChildProcess.KillAndDisposeAsync(_process);

    private static void Append(StringBuilder log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.AppendLine(line);
            if (log.Length > MaxLogChars)
            {
                log.Remove(0, log.Length - MaxLogChars);
            }
        }
    }

    // The SDK sets DOTNET_HOST_PATH for the processes it starts (dotnet test); fall back to the PATH.
    private static string DotNetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
