using System.Collections.Concurrent;
using System.Globalization;

namespace Annotated.WebSockets.Soak;

/// <summary>What the soak server's endpoint saw, process-wide (the server process serves only the soak).</summary>
internal static class SoakServerCounters
{
    private static readonly ConcurrentDictionary<int, long> s_closeCodes = new();
    private static readonly ConcurrentDictionary<string, long> s_errors = new();
    private static long s_opened;
    private static long s_closed;
    private static long s_messages;
    private static long s_broadcasts;
    private static long s_broadcastsDropped;

    public static long OpenSessions => Interlocked.Read(ref s_opened) - Interlocked.Read(ref s_closed);

    public static void Opened() => Interlocked.Increment(ref s_opened);

    public static void Closed(CloseCode code)
    {
        s_closeCodes.AddOrUpdate((int)code, 1, static (_, count) => count + 1);
        Interlocked.Increment(ref s_closed);
    }

    public static void Message() => Interlocked.Increment(ref s_messages);

    public static void Broadcast() => Interlocked.Increment(ref s_broadcasts);

    public static void BroadcastDropped() => Interlocked.Increment(ref s_broadcastsDropped);

    public static void Error(Exception error) => s_errors.AddOrUpdate(error.GetType().Name, 1, static (_, count) => count + 1);

    /// <summary>The counters as <c>name=value</c> pairs for the sample line.</summary>
    public static string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"opened={Interlocked.Read(ref s_opened)} closed={Interlocked.Read(ref s_closed)} messages={Interlocked.Read(ref s_messages)} "
        + $"broadcasts={Interlocked.Read(ref s_broadcasts)} dropped={Interlocked.Read(ref s_broadcastsDropped)} "
        + $"codes={Join(s_closeCodes.Select(pair => (pair.Key.ToString(CultureInfo.InvariantCulture), pair.Value)))} "
        + $"errors={Join(s_errors.Select(pair => (pair.Key, pair.Value)))}");

    private static string Join(IEnumerable<(string Key, long Value)> pairs)
    {
        var text = string.Join(",", pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}:{pair.Value}"));
        return text.Length == 0 ? "-" : text;
    }
}
