using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Annotated.WebSockets.Soak;

/// <summary>
/// The driver's handle on the server child process: this same program started with <c>--serve</c> through the dotnet
/// host, so the server's memory and file descriptors are measured apart from the clients'.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _errors;

    private ServerProcess(Process process, int port, StringBuilder errors)
    {
        _process = process;
        Port = port;
        _errors = errors;
    }

    public int Port { get; }

    public int Id => _process.Id;

    public static async Task<ServerProcess> StartAsync()
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ServerProcess).Assembly.Location);
        start.ArgumentList.Add("--serve");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            var first = await ReadLineAsync(process, "listening", errors);
            return new ServerProcess(process, int.Parse(first.AsSpan("listening ".Length), CultureInfo.InvariantCulture), errors);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>The server's figures now; after a forced full GC when <paramref name="collect"/>.</summary>
    public async Task<ServerSample> SampleAsync(bool collect = false)
    {
        await _process.StandardInput.WriteLineAsync(collect ? "collect" : "sample");
        await _process.StandardInput.FlushAsync();
        return ServerSample.Parse(await ReadLineAsync(_process, "sample", _errors));
    }

    /// <summary>Asks the server to stop and waits for it; true when it exited with 0 in time.</summary>
    public async Task<bool> StopAsync()
    {
        await _process.StandardInput.WriteLineAsync("stop");
        await _process.StandardInput.FlushAsync();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ReplyTimeout);
            return _process.ExitCode == 0;
        }
        catch (TimeoutException)
        {
            return false;
        }
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

    private static async Task<string> ReadLineAsync(Process process, string expected, StringBuilder errors)
    {
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(ReplyTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The server process did not answer '{expected}' within {ReplyTimeout}.{Errors(errors)}");
        }

        return line is not null && line.StartsWith(expected + " ", StringComparison.Ordinal)
            ? line
            : throw new InvalidOperationException($"The server process answered '{line ?? "<end of output>"}' instead of '{expected} …'.{Errors(errors)}");
    }

    private static string Errors(StringBuilder errors)
    {
        lock (errors)
        {
            return errors.Length == 0 ? "" : $"\nserver stderr:\n{errors}";
        }
    }

    // The dotnet host owning the runtime this runs on (<root>/shared/Microsoft.NETCore.App/<version>/).
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var candidate = Path.Combine(Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")), name);
        return File.Exists(candidate) ? candidate : name;
    }
}
