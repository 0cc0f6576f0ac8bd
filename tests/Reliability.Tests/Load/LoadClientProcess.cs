using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// The test's handle on the load client child process (<see cref="LoadClientProgram"/>): starts it, reads its report
/// lines with a timeout each, sends it the next command, and kills it if the test ends early.
/// </summary>
internal sealed class LoadClientProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private LoadClientProcess(Process process)
    {
        _process = process;
    }

    public static LoadClientProcess Start(int port, string path, int connections, int messages, int concurrency)
    {
        var assembly = typeof(LoadClientProgram).Assembly.Location;
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.Environment[LoadClientProgram.SettingsVariable] = string.Create(
            CultureInfo.InvariantCulture, $"{port} {path} {connections} {messages} {concurrency}");
        // A workstation GC keeps the client's memory small; the server's settings are the test host's.
        start.Environment["DOTNET_gcServer"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName} exec {assembly}.");
        var client = new LoadClientProcess(process);
        process.ErrorDataReceived += (_, line) =>
        {
            lock (client._errors)
            {
                client._errors.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        return client;
    }

    /// <summary>Reads the next report line and returns it; fails when it is not <paramref name="expected"/> ….</summary>
    public async Task<string> ExpectAsync(string expected, TimeSpan timeout)
    {
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync().WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The load client did not report '{expected}' within {timeout}.{Errors()}");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"The load client ended before reporting '{expected}'.{Errors()}");
            }

            if (line.StartsWith(expected + " ", StringComparison.Ordinal))
            {
                return line;
            }

            if (line.StartsWith("fail ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The load client failed: {line[5..]}{Errors()}");
            }

            // Anything else (the "limit" line) is information the caller may want; keep reading.
            LastInformation = line;
        }
    }

    /// <summary>The last line read that was neither expected nor a failure.</summary>
    public string? LastInformation { get; private set; }

    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the exit and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private string Errors()
    {
        lock (_errors)
        {
            return _errors.Length == 0 ? "" : $"\nstderr:\n{_errors}";
        }
    }

    // The dotnet muxer running this test host: DOTNET_HOST_PATH when the SDK set it, else the one owning this runtime
    // (<root>/shared/Microsoft.NETCore.App/<version>/).
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, name);
        return File.Exists(candidate) ? candidate : name;
    }
}
