using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// Keeps every Redis process this test run starts ended by its process id, whatever happens to the test:
/// <list type="bullet">
/// <item>each started process is tracked until it is stopped; whatever is still running when this process exits
/// normally (a test that never disposed its server) is killed then;</item>
/// <item>each server's directory is named after this process (<c>annotated-redis-{pid}-…</c>) and holds the server's
/// pid file, so the first server of a later run kills the servers of a run that died without cleaning up (a test host
/// killed on a hang) — only a process whose working directory is that very directory, never by name — and deletes
/// their directories.</item>
/// </list>
/// </summary>
internal static class RedisProcesses
{
    public const string PidFileName = "redis.pid";

    private static readonly string s_prefix = "annotated-redis-";
    private static readonly ConcurrentDictionary<int, Process> s_running = new();

    static RedisProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        ReapLeftoversOfDeadRuns();
    }

    /// <summary>A new, empty directory for one server, named after this test process.</summary>
    public static string CreateDirectory() =>
        Directory.CreateTempSubdirectory(string.Create(CultureInfo.InvariantCulture, $"{s_prefix}{Environment.ProcessId}-")).FullName;

    public static void Track(Process process) => s_running[process.Id] = process;

    public static void Untrack(Process process) => s_running.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in s_running.Values)
        {
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    private static void ReapLeftoversOfDeadRuns()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        foreach (var directory in Directory.EnumerateDirectories(Path.GetTempPath(), s_prefix + "*"))
        {
            var owner = Path.GetFileName(directory)[s_prefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, NumberStyles.None, CultureInfo.InvariantCulture, out int ownerId)
                || ownerId == Environment.ProcessId
                || Directory.Exists($"/proc/{ownerId}"))
            {
                // Not ours to judge: this run's, or a run still alive (maybe another test project running alongside).
                continue;
            }

            try
            {
                KillIfRunningIn(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone already (no /proc entry: IOException; ArgumentException, InvalidOperationException from
                // Process), or not ours to read (UnauthorizedAccessException).
            }

            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a directory that cannot be removed now is tried again by the next run.
            }
        }
    }

    private static void KillIfRunningIn(string directory)
    {
        var pidFile = Path.Combine(directory, PidFileName);
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
        {
            return;
        }

        // The pid may have been reused since: kill only a process that works in this very directory (redis-server
        // changes into its --dir). Reading another user's /proc/<pid>/cwd is refused, and such a process is not ours.
        var cwd = Directory.ResolveLinkTarget($"/proc/{pid}/cwd", returnFinalTarget: false)?.FullName;
        if (string.Equals(cwd?.TrimEnd('/'), directory.TrimEnd('/'), StringComparison.Ordinal))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
    }
}
