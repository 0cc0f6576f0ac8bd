using System.Diagnostics;
using System.Globalization;

namespace Annotated.WebSockets.Soak;

/// <summary>The periodic table: client-side rates since the previous row and the server's figures now.</summary>
internal sealed class SoakTable(SoakStats stats, ServerProcess server)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last;
    private long _connects;
    private long _messages;
    private long _bytes;

    public void PrintHeader() => Console.WriteLine(
        "  time  phase     clients sessions  conn/s   msg/s   MiB/s  GC heap MiB  WS MiB    fds threads failures");

    public async Task PrintRowAsync(string phase)
    {
        var sample = await server.SampleAsync();
        var now = _clock.Elapsed;
        var seconds = Math.Max((now - _last).TotalSeconds, 0.001);
        var (connects, messages, bytes) = (stats.Connects, stats.Messages, stats.Bytes);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{now:mm\\:ss}  {phase,-8} {stats.OpenClients,8} {sample.OpenSessions,8} {(connects - _connects) / seconds,7:F0} {(messages - _messages) / seconds,7:F0} "
            + $"{(bytes - _bytes) / seconds / 1048576,7:F1} {sample.GcHeapBytes / 1048576.0,12:F1} {sample.WorkingSetBytes / 1048576.0,7:F1} {sample.FileDescriptors,6} {sample.Threads,7} {stats.FailureCount,8}"));
        (_last, _connects, _messages, _bytes) = (now, connects, messages, bytes);
    }
}
