using System.Globalization;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// The memory and handle figures of this process (the server's, in the load test) after a full blocking GC: GC heap,
/// working set and open file descriptors (/proc/self/fd, Linux).
/// </summary>
internal sealed record ServerMemory(long GcHeapBytes, long WorkingSetBytes, int FileDescriptors)
{
    public static ServerMemory Sample()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        // The heap as the last (forced) collection left it.
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        return new ServerMemory(info.HeapSizeBytes - info.FragmentedBytes, Environment.WorkingSet, OpenFileDescriptors());
    }

    /// <summary>Open file descriptors of this process, or -1 where /proc/self/fd does not exist.</summary>
    public static int OpenFileDescriptors() =>
        Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : -1;

    public string PerConnectionSince(ServerMemory baseline, int connections) => string.Create(
        CultureInfo.InvariantCulture,
        $"GC heap {(GcHeapBytes - baseline.GcHeapBytes) / connections / 1024.0:F1} KiB, working set {(WorkingSetBytes - baseline.WorkingSetBytes) / connections / 1024.0:F1} KiB, {(FileDescriptors - baseline.FileDescriptors) / (double)connections:F2} fds");

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"GC heap {GcHeapBytes / 1048576.0:F1} MiB, working set {WorkingSetBytes / 1048576.0:F1} MiB, {FileDescriptors} fds");
}
