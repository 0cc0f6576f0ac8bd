using System.Collections.Concurrent;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>What one of our client endpoints saw, in order, with a bounded wait for an entry to appear.</summary>
public sealed class ClientEvents
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => [.. _entries];

    public void Add(string entry) => _entries.Enqueue(entry);

    /// <summary>Waits (at most 15 s) until <paramref name="count"/> entries start with <paramref name="prefix"/>.</summary>
    public async Task WaitForCountAsync(string prefix, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (_entries.Count(e => e.StartsWith(prefix, StringComparison.Ordinal)) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Fewer than {count} '{prefix}' entries.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits (at most 15 s) until an entry starting with <paramref name="prefix"/> is logged, and returns it.</summary>
    public async Task<string> WaitForAsync(string prefix)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
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

        throw new TimeoutException($"No '{prefix}' entry; got: {string.Join(" | ", _entries.Select(e => e.Length > 80 ? e[..80] + "…" : e))}");
    }
}
