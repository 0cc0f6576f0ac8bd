using System.IO.Compression;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

public sealed class DeflateProbeTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(2, true)]
    public async Task Probe(int messages, bool reference)
    {
        using var compressed = new MemoryStream();
        using var deflater = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
        var wire = new MemoryStream();
        var all = new MemoryStream();
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("hello fuzz world ", 50)));
        for (int i = 0; i < messages; i++)
        {
            compressed.SetLength(0);
            deflater.Write(text);
            deflater.Flush();
            byte[] bytes = compressed.ToArray();
            all.Write(bytes);
            bytes = bytes.AsSpan(0, bytes.Length - 4).ToArray();
            wire.WriteByte(0xC1);
            wire.WriteByte(126);
            wire.WriteByte((byte)(bytes.Length >> 8));
            wire.WriteByte((byte)bytes.Length);
            wire.Write(bytes);
        }

        if (reference)
        {
            all.Position = 0;
            using var inflater = new DeflateStream(all, CompressionMode.Decompress);
            byte[] output = new byte[text.Length * messages];
            inflater.ReadExactly(output);
            return;
        }

        var engine = new WebSocketEngine(new ChunkedReadStream(wire.ToArray(), 3), new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = new PerMessageDeflateParameters() });
        for (int i = 0; i < messages; i++)
        {
            WebSocketEvent e = await engine.ReceiveAsync(ReceivePolicy.Whole, default);
            Assert.True(e.Kind == WebSocketEventKind.Text, e.ToString());
        }
    }
}
