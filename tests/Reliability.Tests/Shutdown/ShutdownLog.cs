using System.Collections.Concurrent;

namespace Annotated.WebSockets.Reliability.Tests.Shutdown;

/// <summary>
/// What the shutdown endpoints saw, per test: each client connects with <c>?id=…&amp;n=…</c> (the test's own id and the
/// client's number), so tests running in parallel against the process-wide endpoints never read each other's entries.
/// </summary>
internal static class ShutdownLog
{
    private static readonly ConcurrentDictionary<string, CallbackLog> s_logs = new(StringComparer.Ordinal);

    public static string NewId() => Guid.NewGuid().ToString("N");

    public static CallbackLog For(string id) => s_logs.GetOrAdd(id, static _ => new CallbackLog());

    /// <summary>Logs <c>{n}:{entry}</c> in the log of the session's test.</summary>
    public static void Add(WebSocketSession session, string entry)
    {
        var parameters = session.RequestParameters;
        if (parameters.TryGetValue("id", out var ids) && ids.Count > 0 && parameters.TryGetValue("n", out var numbers) && numbers.Count > 0)
        {
            For(ids[0]).Add($"{numbers[0]}:{entry}");
        }
    }
}
