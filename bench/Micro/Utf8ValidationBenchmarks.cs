using System.Text;
using Annotated.WebSockets.Protocol;
using BenchmarkDotNet.Attributes;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// The engine's incremental UTF-8 validator (which must carry state across frame boundaries) against the framework's
/// one-shot <see cref="System.Text.Unicode.Utf8.IsValid(ReadOnlySpan{byte})"/> on the same bytes.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class Utf8ValidationBenchmarks
{
    private byte[] _data = null!;

    /// <summary>Bytes validated per operation.</summary>
    [Params(1024, 64 * 1024)]
    public int Size { get; set; }

    /// <summary>ASCII only, or mixed text with 2-, 3- and 4-byte sequences.</summary>
    [Params("ascii", "mixed")]
    public string Text { get; set; } = "ascii";

    /// <summary>Builds the text once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string unit = Text == "ascii" ? "{\"user\":\"alice\",\"text\":\"hello world\"} " : "{\"user\":\"zoë\",\"text\":\"héllo wörld – 你好 🌍\"} ";
        var builder = new StringBuilder();
        while (Encoding.UTF8.GetByteCount(builder.ToString()) < Size)
        {
            builder.Append(unit);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(builder.ToString());
        int length = Size;
        while ((bytes[length] & 0xC0) == 0x80)
        {
            length--;   // end on a code point boundary
        }

        _data = bytes.AsSpan(0, length).ToArray();
    }

    /// <summary>The engine's validator.</summary>
    [Benchmark]
    public bool Engine()
    {
        var validator = default(Utf8Validator);
        return validator.Append(_data) && validator.IsComplete;
    }

    /// <summary>The framework's validator (reference).</summary>
    [Benchmark(Baseline = true)]
    public bool Framework() => System.Text.Unicode.Utf8.IsValid(_data);
}
