using System.Globalization;

namespace Annotated.WebSockets.Soak;

/// <summary>One <c>sample key=value …</c> line of the server process, parsed.</summary>
internal sealed class ServerSample
{
    private readonly Dictionary<string, string> _values;

    private ServerSample(Dictionary<string, string> values)
    {
        _values = values;
    }

    public long GcHeapBytes => Number("gcheap");

    public long WorkingSetBytes => Number("workingset");

    public long FileDescriptors => Number("fds");

    public long Threads => Number("threads");

    public long OpenSessions => Number("open");

    public long Opened => Number("opened");

    public long Closed => Number("closed");

    public long Messages => Number("messages");

    /// <summary>A byte count of the sample by key (gen0, gen1, gen2, loh, poh).</summary>
    public long Bytes(string key) => Number(key);

    /// <summary>Sessions closed with <paramref name="code"/>, as the endpoint's close handler saw them.</summary>
    public long ClosedWith(int code) => Pairs("codes").TryGetValue(code.ToString(CultureInfo.InvariantCulture), out var count) ? count : 0;

    /// <summary>The raw values of a key (close codes, error types).</summary>
    public string Text(string key) => _values.GetValueOrDefault(key, "-");

    public static ServerSample Parse(string line)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                values[part[..equals]] = part[(equals + 1)..];
            }
        }

        return new ServerSample(values);
    }

    private long Number(string key) =>
        _values.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : -1;

    private Dictionary<string, long> Pairs(string key)
    {
        var pairs = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var pair in Text(key).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && long.TryParse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                pairs[pair[..colon]] = count;
            }
        }

        return pairs;
    }
}
