using System.Globalization;
using System.Runtime.InteropServices;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>
/// Raises RLIMIT_NOFILE of the current process (Linux, through libc's getrlimit/setrlimit), for tests that hold
/// thousands of sockets at once: the soft limit goes up to the hard limit, and the hard limit too when the test
/// needs more and the process may raise it (CAP_SYS_RESOURCE; root inside a container often lacks it). Child
/// processes started afterwards inherit the result.
/// </summary>
internal static class FileDescriptorLimit
{
    private const int RlimitNofile = 7;
    private const int Eperm = 1;

    /// <summary>What an attempt achieved.</summary>
    /// <param name="SoftBefore">The soft limit found.</param>
    /// <param name="HardBefore">The hard limit found.</param>
    /// <param name="Soft">The soft limit now in force.</param>
    /// <param name="Hard">The hard limit now in force.</param>
    /// <param name="Problem">Why a wanted raise did not happen, or null.</param>
    public sealed record Outcome(ulong SoftBefore, ulong HardBefore, ulong Soft, ulong Hard, string? Problem)
    {
        /// <summary>One line for the test output.</summary>
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"RLIMIT_NOFILE soft {SoftBefore} -> {Soft}, hard {HardBefore} -> {Hard}")
            + (Problem is null ? "" : $" ({Problem})");
    }

    /// <summary>
    /// Raises the soft limit to at least <paramref name="wanted"/> when possible: first by raising both limits to
    /// <paramref name="wanted"/> if the hard limit is lower, else (or if that is refused) the soft limit to the hard one.
    /// Never lowers a limit. Null where not Linux.
    /// </summary>
    public static Outcome? Raise(ulong wanted)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (GetRLimit(RlimitNofile, out var before) != 0)
        {
            return new Outcome(0, 0, 0, 0, $"getrlimit failed with errno {Marshal.GetLastPInvokeError()}");
        }

        var now = before;
        string? problem = null;
        if (before.Current < wanted && before.Maximum < wanted)
        {
            var both = new RLimit { Current = wanted, Maximum = wanted };
            if (SetRLimit(RlimitNofile, ref both) == 0)
            {
                now = both;
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                problem = errno == Eperm
                    ? $"raising the hard limit to {wanted} was refused (EPERM: the process lacks CAP_SYS_RESOURCE)"
                    : $"raising the hard limit to {wanted} failed with errno {errno}";
            }
        }

        if (now.Current < now.Maximum && now.Current < wanted)
        {
            var soft = new RLimit { Current = now.Maximum, Maximum = now.Maximum };
            if (SetRLimit(RlimitNofile, ref soft) == 0)
            {
                now = soft;
            }
            else
            {
                problem ??= $"raising the soft limit to {now.Maximum} failed with errno {Marshal.GetLastPInvokeError()}";
            }
        }

        return new Outcome(before.Current, before.Maximum, now.Current, now.Maximum, problem);
    }

    /// <summary>
    /// Raises the limit (see <see cref="Raise"/>) and throws a clear <see cref="InvalidOperationException"/> when the
    /// soft limit still stays below <paramref name="needed"/>, so a test fails at once instead of hanging on sockets
    /// that cannot be opened. Returns what was achieved (null where not Linux: nothing to check there).
    /// </summary>
    public static Outcome? Require(ulong needed)
    {
        var outcome = Raise(needed);
        if (outcome is not null && outcome.Soft < needed)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"This test needs {needed} open file descriptors in one process, but {outcome}. Raise the limit before running it, "
                + $"e.g. `ulimit -n {needed}` in the shell (or `prlimit`/the container's nofile ulimit), as a user allowed to."));
        }

        return outcome;
    }

    // struct rlimit on 64-bit Linux: two unsigned 64-bit integers (rlim_t). DllImport rather than LibraryImport:
    // the test projects do not allow unsafe code, which the LibraryImport generator would need for these signatures.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);
#pragma warning restore SYSLIB1054

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
