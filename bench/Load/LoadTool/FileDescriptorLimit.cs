using System.Runtime.InteropServices;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// Raises RLIMIT_NOFILE's soft limit to the hard limit (Linux), so this process can hold the idle profile's
/// connections; child servers started afterwards inherit the raised limit.
/// </summary>
internal static partial class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Returns the soft and hard limits after the attempt (null where not Linux).</summary>
    public static (ulong Soft, ulong Hard)? RaiseToHardLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        if (GetRLimit(RlimitNofile, out RLimit limit) != 0)
        {
            return null;
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
            if (SetRLimit(RlimitNofile, in raised) == 0)
            {
                limit = raised;
            }
        }

        return (limit.Current, limit.Maximum);
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    // struct rlimit on 64-bit Linux: two unsigned longs.
    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
