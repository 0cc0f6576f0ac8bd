using System.IO.Compression;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Engine bugs the fuzzer found, each kept as the smallest case that failed before the fix.
public sealed class KnownEngineBugTests
{
    // Found by fuzzing (fixed): after ReceiveAsync returned a 1006 Close (transport ended: state Aborted),
    // DisposeAsync calls Abort, which calls CancelPendingFlush on the StreamPipeWriter that CompleteTransportAsync
    // already completed, and throws ObjectDisposedException (CancellationTokenSource disposed). Seen on every 1006
    // case, over the Stream constructor and over an IDuplexPipe whose writer is PipeWriter.Create(stream).
    [Theory]
    [InlineData(true, "81")]        // EOF inside a header: Close 1006.
    public async Task DisposeAsync_after_a_Close_event_does_not_throw_on_a_Stream_transport(bool client, string hex)
    {
        var stream = new ChunkedReadStream(Convert.FromHexString(hex), 1);
        var engine = new WebSocketEngine(stream, new WebSocketEngineOptions { Role = client ? WebSocketRole.Client : WebSocketRole.Server });
        WebSocketEvent close = await engine.ReceiveAsync(ReceivePolicy.Whole, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketEventKind.Close, close.Kind);

        Exception? error = await Record.ExceptionAsync(() => engine.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Null(error);
    }

    // Found by fuzzing (fixed): with permessage-deflate and context takeover, a compressed message with zero
    // payload bytes (no 0x00 block, as .NET's DeflateStream writes for an empty flush) used to be inflated as a bare
    // 00 00 FF FF tail, which is not a valid block and broke the stream for the next message (1007). It is now an
    // empty message that leaves the inflate window alone.
    [Fact]
    public async Task An_empty_compressed_message_keeps_the_inflate_window_for_the_next_message()
    {
        // The sender keeps one deflate stream (context takeover); each message is sync-flushed and its tail stripped.
        using var compressed = new MemoryStream();
        using var deflater = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true);
        byte[] text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("hello fuzz world ", 50)));
        var wire = new MemoryStream();
        foreach (byte[] message in new[] { text, [], text })
        {
            compressed.SetLength(0);
            deflater.Write(message);
            deflater.Flush();
            byte[] bytes = compressed.ToArray();
            bytes = bytes.Length >= 4 ? bytes.AsSpan(0, bytes.Length - 4).ToArray() : bytes;
            wire.Write([0xC1, 126, (byte)(bytes.Length >> 8), (byte)bytes.Length]);
            wire.Write(bytes);
        }

        var engine = new WebSocketEngine(
            new ChunkedReadStream(wire.ToArray(), 1),
            new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = new PerMessageDeflateParameters() });
        int[] expectedLengths = [text.Length, 0, text.Length];
        foreach (int expected in expectedLengths)
        {
            WebSocketEvent next = await engine.ReceiveAsync(ReceivePolicy.Whole, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(next.Kind == WebSocketEventKind.Text, next.ToString());
            Assert.Equal(expected, next.Payload.Length);
        }
    }
}
