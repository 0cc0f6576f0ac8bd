using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>
/// Builds InvalidEndpointProject with the real `dotnet build` (the analyzers referenced as an analyzer, the
/// way a user's project gets them) and checks the build fails with exactly the expected diagnostics.
/// </summary>
public sealed partial class InvalidEndpointProjectBuildTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Build_FailsWithTheExpectedDiagnostics()
    {
        var project = Path.Combine(RepositoryLayout.Root, "tests", "Analyzers.Tests", "InvalidEndpointProject", "InvalidEndpointProject.csproj");
        Assert.True(File.Exists(project), $"missing {project}");
        var artifacts = Path.Combine(Path.GetTempPath(), "awe-invalid-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output) = await RunAsync(DotnetPath(), ["build", project, "--artifacts-path", artifacts, "-nologo", "-v:q", "-clp:NoSummary"]);

            Assert.NotEqual(0, exitCode);
            var reported = AweDiagnostic().Matches(output)
                .Select(m => m.Groups["id"].Value)
                .ToHashSet(StringComparer.Ordinal);
            string[] expected = ["AWE0100", "AWE0110", "AWE0115", "AWE0201", "AWE0203"];
            Assert.True(reported.SetEquals(expected), $"expected {string.Join(", ", expected)}; got {string.Join(", ", reported.Order())}{Environment.NewLine}{output}");
            Assert.Equal(2, Regex.Matches(output, @"InvalidEndpoints\.cs\(\d+,\d+\): error AWE0203").Select(m => m.Value).Distinct().Count());
        }
        finally
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp directory left behind is harmless.
            }
        }
    }

    [GeneratedRegex(@"\.cs\(\d+,\d+\): (error|warning) (?<id>AWE\d{4})")]
    private static partial Regex AweDiagnostic();

    private static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static async Task<(int ExitCode, string Output)> RunAsync(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryLayout.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside MSBuild's environment; a child build must pick its own SDK settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet build did not finish within {s_timeout}.");
        }

        output.Append(await stdout).Append(await stderr);
        return (process.ExitCode, output.ToString());
    }
}
