using System.Collections.Concurrent;

namespace Annotated.WebSockets.Integration.Tests.Infrastructure;

/// <summary>
/// What the endpoints of one test saw. Each test connects with its own id as the <c>{test}</c> path
/// parameter, so tests running in parallel never read each other's callbacks.
/// </summary>
public sealed class Recorder : CallbackLog
{
    private static readonly ConcurrentDictionary<string, Recorder> s_byTest = new(StringComparer.Ordinal);

    public static Recorder For(string test) => s_byTest.GetOrAdd(test, static _ => new Recorder());

    public static string NewTestId() => Guid.NewGuid().ToString("N");
}
