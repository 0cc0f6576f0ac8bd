using System.Collections.Concurrent;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>
/// The callbacks an endpoint received, in order, with a bounded wait for one to appear. Shared by the test
/// projects (linked source from tests/Shared).
/// </summary>
public class CallbackLog
{
    private readonly ConcurrentQueue<string> _entries = new();
    private readonly ConcurrentQueue<object> _values = new();

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

    /// <summary>Waits (at most 10 s) until an entry starting with <paramref name="prefix"/> is logged, and returns it.</summary>
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
