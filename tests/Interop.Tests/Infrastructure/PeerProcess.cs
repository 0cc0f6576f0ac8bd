using System.Diagnostics;
using System.Text;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>Runs a peer script to completion with a deadline; the whole process tree is killed on time-out.</summary>
internal static class PeerProcess
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    /// <param name="standardInput">Written to the process's standard input, which is then closed.</param>
    /// <param name="environment">Variables added to the process's environment, or null.</param>
    public static async Task<Output> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string standardInput,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = InteropLocations.PeersDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Python prints UTF-8 whatever the locale of the machine.
        startInfo.Environment["PYTHONIOENCODING"] = "utf-8";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"'{fileName}' could not be started.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), deadline.Token);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The peer exited without reading its input; its exit code and output below say why.
            }

            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            throw new TimeoutException(
                $"The peer '{fileName} {string.Join(' ', startInfo.ArgumentList)}' did not finish in {timeout.TotalSeconds:0} s " +
                $"and was killed. stdout: {await standardOutput.WaitAsync(TimeSpan.FromSeconds(5))} " +
                $"stderr: {await standardError.WaitAsync(TimeSpan.FromSeconds(5))}");
        }

        return new Output(
            process.ExitCode,
            await standardOutput.WaitAsync(TimeSpan.FromSeconds(5)),
            await standardError.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
