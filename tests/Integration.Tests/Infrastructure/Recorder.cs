using System.Collections.Concurrent;

namespace Annotated.WebSockets.Integration.Tests.Infrastructure;

/// <summary>
/// What the endpoints of one test saw. Each test connects with its own id as the <c>{test}</c> path
/// parameter, so tests running in parallel never read each other's callbacks.
/// </summary>
public sealed class Recorder
{
    private static readonly ConcurrentDictionary<string, Recorder> s_byTest = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly ConcurrentQueue<object> _values = new();

    public static Recorder For(string test) => s_byTest.GetOrAdd(test, static _ => new Recorder());

    public static string NewTestId() => Guid.NewGuid().ToString("N");

    public IReadOnlyList<string> Entries => [.. _entries];

    public IReadOnlyList<object> Values => [.. _values];

    public void Add(string entry, object? value = null)
    {
        if (value is not null)
        {
            _values.Enqueue(value);
        }

        _entries.Enqueue(entry);
    }

    public int Count(string prefix) => _entries.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Waits (at most 10 s) for an entry starting with <paramref name="prefix"/>.</summary>
    public async Task<string> WaitForAsync(string prefix)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var entry in _entries)
            {
                if (entry.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return entry;
                }
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No '{prefix}' callback; got: {string.Join(" | ", _entries)}");
    }
}
