using System.Text;

namespace Annotated.WebSockets.Testing;

/// <summary>
/// What went each way on one test client's connection, in order: "→" what the test sent, "←" what arrived. A failed
/// expectation prints it, so a test failure shows the conversation, not only the last message.
/// </summary>
public sealed class Transcript
{
    private const int MaxShown = 200;
    private readonly object _lock = new();
    private readonly List<string> _lines = [];

    /// <summary>The lines so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The transcript, one line per event (the last 200 when longer).</summary>
    /// <returns>The text.</returns>
    public override string ToString()
    {
        var lines = Lines;
        var builder = new StringBuilder();
        if (lines.Count == 0)
        {
            return "  (nothing sent or received)";
        }

        var skipped = Math.Max(0, lines.Count - MaxShown);
        if (skipped > 0)
        {
            builder.Append("  … ").Append(skipped).AppendLine(" earlier lines");
        }

        for (var i = skipped; i < lines.Count; i++)
        {
            builder.Append("  ").AppendLine(lines[i]);
        }

        return builder.ToString().TrimEnd();
    }

    internal void Sent(string line) => Add("→ " + line);

    internal void Received(string line) => Add("← " + line);

    internal void Note(string line) => Add("· " + line);

    internal static string Shorten(string text) =>
        text.Length <= 120 ? text.Replace("\n", "\\n", StringComparison.Ordinal) : text[..117].Replace("\n", "\\n", StringComparison.Ordinal) + "…";

    internal static string Hex(ReadOnlySpan<byte> data) =>
        data.Length <= 16 ? Convert.ToHexString(data) : Convert.ToHexString(data[..16]) + "…";

    private void Add(string line)
    {
        lock (_lock)
        {
            _lines.Add(line);
        }
    }
}
