using System.Collections.Concurrent;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>
/// What the test servers saw, per test: each client connects with <c>?id=…</c>, a value unique to the test, so
/// tests running in parallel against the process-wide annotated endpoints never read each other's entries.
/// </summary>
internal static class ServerLog
{
    private static readonly ConcurrentDictionary<string, EventLog> s_logs = new(StringComparer.Ordinal);

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static EventLog For(string id) => s_logs.GetOrAdd(id, static _ => new EventLog());

    public static void Add(WebSocketSession session, string entry)
    {
        if (session.RequestParameters.TryGetValue("id", out var ids) && ids.Count > 0)
        {
            For(ids[0]).Add(entry);
        }
    }
}
