using System.Diagnostics;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// Finds the peers and says precisely what is missing and how to install it. Outside CI a missing peer skips
/// its tests (<see cref="PeerFactAttribute"/>); under CI=true it fails them (<see cref="Require"/>).
/// </summary>
internal static class Peers
{
    public const string PythonPath = "/usr/bin/python3";
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly Lazy<string?> s_nodeMissing = new(FindNodeWsProblem);
    private static readonly Lazy<string?> s_pythonMissing = new(FindPythonWebsocketsProblem);
    private static readonly Lazy<string?> s_chromiumMissing = new(FindChromiumProblem);
    private static readonly Lazy<string?> s_nodeToolsMissing = new(FindNodeToolsProblem);

    /// <summary>True under CI (the CI environment variable is "true"): a missing peer is then a failure.</summary>
    public static bool IsContinuousIntegration =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The node executable (found on PATH).</summary>
    public static string NodePath => FindOnPath("node") ?? "node";

    /// <summary>Why the peer cannot run and how to install it, or null when it is there.</summary>
    public static string? Missing(PeerKind peer) => peer switch
    {
        PeerKind.NodeWs => s_nodeMissing.Value,
        PeerKind.PythonWebsockets => s_pythonMissing.Value,
        PeerKind.Chromium => s_chromiumMissing.Value,
        PeerKind.NodeTools => s_nodeToolsMissing.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(peer), peer, null),
    };

    /// <summary>Fails the test when the peer is missing (reached only under CI, or when run explicitly).</summary>
    public static void Require(PeerKind peer)
    {
        if (Missing(peer) is { } problem)
        {
            throw new Xunit.Sdk.XunitException(
                problem + (IsContinuousIntegration ? " (CI=true: a missing interop peer is a failure, not a skip.)" : ""));
        }
    }

    private static string? FindNodeWsProblem()
    {
        if (FindOnPath("node") is null)
        {
            return "The Node 'ws' peer is missing: 'node' is not on PATH. Install Node.js 20+ and npm " +
                "(apt-get install nodejs npm), then run ./build/setup.sh.";
        }

        var manifest = Path.Combine(InteropLocations.PeersDirectory, "node_modules", "ws", "package.json");
        return File.Exists(manifest)
            ? null
            : "The Node 'ws' peer is missing: the npm package 'ws' is not installed in tests/Interop.Tests/peers. " +
              "Install it with ./build/setup.sh (or: cd tests/Interop.Tests/peers && npm ci).";
    }

    private static string? FindNodeToolsProblem()
    {
        if (FindNodeWsProblem() is { } problem)
        {
            return problem;
        }

        foreach (var package in (string[])["typescript", "@asyncapi/parser", "ajv", "ajv-formats"])
        {
            if (!File.Exists(Path.Combine(InteropLocations.PeersDirectory, "node_modules", package, "package.json")))
            {
                return $"The Node tools are missing: the npm package '{package}' is not installed in tests/Interop.Tests/peers. " +
                    "Install it with ./build/setup.sh (or: cd tests/Interop.Tests/peers && npm ci).";
            }
        }

        return null;
    }

    private static string? FindPythonWebsocketsProblem()
    {
        const string install = "Install it with ./build/setup.sh (or: apt-get install python3-websockets).";
        if (!File.Exists(PythonPath))
        {
            return $"The Python 'websockets' peer is missing: {PythonPath} does not exist. {install}";
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(PythonPath)
            {
                ArgumentList = { "-c", "import websockets" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(15_000))
            {
                process.Kill(entireProcessTree: true);
                return $"The Python 'websockets' peer could not be checked: '{PythonPath} -c \"import websockets\"' did not finish in 15 s.";
            }

            return process.ExitCode == 0
                ? null
                : $"The Python 'websockets' peer is missing: {PythonPath} cannot import websockets ({error.Result.Trim()}). {install}";
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            return $"The Python 'websockets' peer is missing: {PythonPath} cannot be started ({exception.Message}). {install}";
        }
    }

    private static string? FindChromiumProblem()
    {
        if (!File.Exists(ChromiumPath))
        {
            return $"The Chromium peer is missing: {ChromiumPath} does not exist. Install it with ./build/setup.sh " +
                "(or: apt-get install chromium).";
        }

        // Playwright for .NET starts the driver it ships in the package, copied next to the test assembly.
        var driver = Path.Combine(AppContext.BaseDirectory, ".playwright");
        return Directory.Exists(driver)
            ? null
            : $"The Chromium peer cannot be driven: Playwright's driver is not in {driver} (the Microsoft.Playwright " +
              "package copies it there when the test project builds).";
    }

    private static string? FindOnPath(string executable)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length > 0 && File.Exists(Path.Combine(directory, executable)))
            {
                return Path.Combine(directory, executable);
            }
        }

        return null;
    }
}
