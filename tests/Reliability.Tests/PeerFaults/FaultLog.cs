using System.Collections.Concurrent;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// What the endpoints of one connection saw. Endpoint instances are per connection, so each test (or each
/// connection of a test) passes its own id as the <c>{test}</c> path parameter and reads the log of that id:
/// tests running in parallel never read each other's callbacks.
/// </summary>
public sealed class FaultLog : CallbackLog
{
    private static readonly ConcurrentDictionary<string, FaultLog> s_byId = new(StringComparer.Ordinal);

    public static FaultLog For(string id) => s_byId.GetOrAdd(id, static _ => new FaultLog());

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Waits (bounded) until an entry starting with <paramref name="prefix"/> is logged, then lets the session
    /// settle briefly and asserts it was logged exactly once; returns that entry.
    /// </summary>
    public async Task<string> SingleAsync(string prefix)
    {
        var entry = await WaitForAsync(prefix);
        await Task.Delay(100);
        Assert.True(Count(prefix) == 1, $"Expected exactly one '{prefix}' callback; got: {string.Join(" | ", Entries)}");
        return entry;
    }
}
