using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Annotated.WebSockets.Generators.Tests.Infrastructure;

/// <summary>Path parameters that count every lookup, so a test can see how often a dispatcher reads them.</summary>
internal sealed class CountingPathParameters(IReadOnlyDictionary<string, string> values) : IReadOnlyDictionary<string, string>
{
    private int _lookups;

    /// <summary>Lookups so far: indexer, <see cref="ContainsKey"/>, <see cref="TryGetValue"/> and enumerations.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    public string this[string key]
    {
        get
        {
            Interlocked.Increment(ref _lookups);
            return values[key];
        }
    }

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<string> Values => values.Values;

    public int Count => values.Count;

    public bool ContainsKey(string key)
    {
        Interlocked.Increment(ref _lookups);
        return values.ContainsKey(key);
    }

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        Interlocked.Increment(ref _lookups);
        return values.TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        Interlocked.Increment(ref _lookups);
        return values.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
