using System.Text;
using Annotated.WebSockets.Protocol;
using BenchmarkDotNet.Attributes;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// permessage-deflate round trip: compress one message the way the engine's sender does, then inflate it the way its
/// receiver does (tail appended, output read in 64 KiB pieces), with context takeover as negotiated by default.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class DeflateBenchmarks
{
    private PerMessageDeflateCompressor _compressor = null!;
    private PerMessageDeflateDecompressor _decompressor = null!;
    private byte[] _message = null!;
    private readonly byte[] _output = new byte[64 * 1024];

    /// <summary>Uncompressed message size.</summary>
    [Params(1024, 64 * 1024)]
    public int Size { get; set; }

    /// <summary>Builds a JSON-like chat message and the codec pair.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder();
        var random = new Random(42);
        while (builder.Length < Size)
        {
            builder.Append("{\"user\":\"user").Append(random.Next(100)).Append("\",\"seq\":").Append(random.Next())
                .Append(",\"text\":\"hello from the benchmark\"}");
        }

        _message = Encoding.UTF8.GetBytes(builder.ToString(0, Size));
        _compressor = new PerMessageDeflateCompressor(noContextTakeover: false, new PerMessageDeflateOptions().CompressionLevel);
        _decompressor = new PerMessageDeflateDecompressor(noContextTakeover: false);
    }

    /// <summary>Compresses and inflates one message; returns the inflated length.</summary>
    [Benchmark]
    public int RoundTrip()
    {
        ReadOnlyMemory<byte> compressed = _compressor.Compress(_message, endOfMessage: true);
        _decompressor.AddInput(compressed.Span);
        _decompressor.AddTail();
        int total = 0;
        int n;
        while ((n = _decompressor.Read(_output)) > 0)
        {
            total += n;
        }

        _decompressor.EndMessage();
        if (total != _message.Length)
        {
            throw new InvalidOperationException($"Inflated {total} bytes, expected {_message.Length}.");
        }

        return total;
    }

    /// <summary>Frees the codec pair.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _compressor.Dispose();
        _decompressor.Dispose();
    }
}
