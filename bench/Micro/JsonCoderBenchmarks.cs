using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>A JSON message of the benchmark.</summary>
public sealed record BenchOrder(string Item, int Quantity);

/// <summary>Source-generated System.Text.Json metadata, as an AOT-clean application has it.</summary>
[JsonSerializable(typeof(BenchOrder))]
internal sealed partial class BenchJson : JsonSerializerContext;

/// <summary>The built-in JSON coder bound to the benchmark's metadata.</summary>
public sealed class BenchOrderJson() : JsonTextCoder<BenchOrder>(BenchJson.Default.BenchOrder);

/// <summary>
/// What a JSON endpoint costs per message between the validated bytes received and the bytes put in the send buffer:
/// through a <see cref="string"/> (decode the message into UTF-16, deserialize, serialize to a string, encode it into
/// the send buffer: the path before the UTF-8 coder interfaces) against UTF-8 throughout (<see cref="Utf8Text"/> in,
/// <see cref="IUtf8TextDecoder{T}"/> and <see cref="IUtf8TextEncoder{T}"/>, the bytes copied into the send buffer).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class JsonCoderBenchmarks
{
    private readonly BenchOrderJson _coder = new();
    private readonly byte[] _sendBuffer = new byte[256 * 1024];
    private byte[] _message = null!;
    private Utf8Text _received;

    /// <summary>Characters in the order's item: a chat-sized message and a large one.</summary>
    [Params(32, 16 * 1024)]
    public int ItemLength { get; set; }

    /// <summary>ASCII only, or mixed text with 2-, 3- and 4-byte sequences.</summary>
    [Params("ascii", "mixed")]
    public string Text { get; set; } = "ascii";

    /// <summary>Builds the received message once; the engine has validated it before either path starts.</summary>
    [GlobalSetup]
    public void Setup()
    {
        string unit = Text == "ascii" ? "hello world " : "héllo wörld – 你好 🌍 ";
        var item = new StringBuilder();
        while (item.Length < ItemLength)
        {
            item.Append(unit);
        }

        _message = _coder.EncodeUtf8(new BenchOrder(item.ToString(0, ItemLength), 2)).ToArray();
        _received = new Utf8Text(_message);
    }

    /// <summary>
    /// Decode to a string, deserialize from it, serialize to a string, encode it into the send buffer: what a string
    /// coder (JsonTextCoder before it read and wrote UTF-8) costs.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int ThroughString()
    {
        var order = JsonSerializer.Deserialize(Encoding.UTF8.GetString(_message), BenchJson.Default.BenchOrder)!;
        var reply = JsonSerializer.Serialize(order with { Quantity = order.Quantity + 1 }, BenchJson.Default.BenchOrder);
        return Encoding.UTF8.GetBytes(reply, _sendBuffer);
    }

    /// <summary>Deserialize the UTF-8 bytes, serialize to UTF-8, copy the bytes into the send buffer.</summary>
    [Benchmark]
    public int Utf8Throughout()
    {
        var order = _coder.Decode(_received);
        var reply = _coder.EncodeUtf8(order with { Quantity = order.Quantity + 1 });
        reply.Span.CopyTo(_sendBuffer);
        return reply.Length;
    }
}
