using System.IO.Compression;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// permessage-deflate inside the engine: RSV1 per message, the tail bytes, context takeover, the RFC 7692 examples,
/// and the decompression bomb.
public sealed class PerMessageDeflateEngineTests
{
    private static readonly PerMessageDeflateParameters Takeover = new();
    private static readonly PerMessageDeflateParameters NoTakeover = new() { ServerNoContextTakeover = true, ClientNoContextTakeover = true };

    private static byte[] Inflate(params byte[][] payloads)
    {
        var input = new MemoryStream();
        foreach (byte[] p in payloads)
        {
            input.Write(p);
            input.Write([0x00, 0x00, 0xFF, 0xFF]);
        }

        input.Position = 0;
        using var inflate = new DeflateStream(input, CompressionMode.Decompress);
        var output = new MemoryStream();
        inflate.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public async Task The_rfc_7692_examples_decompress_with_context_takeover()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client, deflate: Takeover);
        await peer.WriteAsync([0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]);          // §7.2.3.1
        await peer.WriteAsync([0xC1, 0x05, 0xF2, 0x00, 0x11, 0x00, 0x00]);                      // §7.2.3.2, uses the window
        await peer.WriteAsync([0x41, 0x03, 0xF2, 0x48, 0xCD, 0x80, 0x04, 0xC9, 0xC9, 0x07, 0x00]); // fragmented, on the same window
        Assert.Equal("Hello", (await engine.NextAsync()).Text());
        Assert.Equal("Hello", (await engine.NextAsync()).Text());
        WebSocketEvent third = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Text, third.Kind);
        Assert.Equal("Hello", third.Text());
    }

    [Fact]
    public async Task A_fragmented_compressed_message_is_reassembled_in_partial_mode()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client, deflate: NoTakeover);
        await peer.WriteAsync([0x41, 0x03, 0xF2, 0x48, 0xCD, 0x80, 0x04, 0xC9, 0xC9, 0x07, 0x00]);   // §7.2.3.1 fragmented
        var text = new StringBuilder();
        WebSocketEvent part;
        do
        {
            part = await engine.NextAsync(ReceivePolicy.Partial);
            text.Append(part.Text());
        }
        while (!part.EndOfMessage);
        Assert.Equal("Hello", text.ToString());
    }

    [Fact]
    public async Task Sent_messages_carry_rsv1_on_the_first_frame_and_no_tail()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        byte[] message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compress me ", 50)));
        await engine.SendAsync(WebSocketMessageKind.Text, message, true, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Text, message, true, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, message[..100], false, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, message[100..], true, CancellationToken.None);
        RawFrame first = (await peer.ReadFrameAsync())!;
        RawFrame second = (await peer.ReadFrameAsync())!;
        RawFrame part1 = (await peer.ReadFrameAsync())!;
        RawFrame part2 = (await peer.ReadFrameAsync())!;
        Assert.Equal(4, first.Rsv);
        Assert.Equal(4, second.Rsv);
        Assert.True(first.Payload.Length < message.Length / 4);
        Assert.True(second.Payload.Length < first.Payload.Length, "context takeover should shrink the repeat");
        Assert.False(first.Payload.AsSpan().EndsWith(new byte[] { 0, 0, 0xFF, 0xFF }));
        Assert.Equal((4, 2, false), (part1.Rsv, part1.Opcode, part1.Fin));
        Assert.Equal((0, 0, true), (part2.Rsv, part2.Opcode, part2.Fin));

        // One inflater across all messages, as the peer keeps its window.
        byte[] all = Inflate(first.Payload, second.Payload, [.. part1.Payload, .. part2.Payload]);
        Assert.Equal([.. message, .. message, .. message], all);
    }

    [Fact]
    public async Task Without_context_takeover_each_message_compresses_alone()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: NoTakeover);
        byte[] message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("abcdef", 40)));
        await engine.SendAsync(WebSocketMessageKind.Binary, message, true, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, message, true, CancellationToken.None);
        RawFrame first = (await peer.ReadFrameAsync())!;
        RawFrame second = (await peer.ReadFrameAsync())!;
        Assert.Equal(first.Payload, second.Payload);
        Assert.Equal(message, Inflate(second.Payload));
    }

    [Fact]
    public async Task An_empty_message_is_sent_as_one_zero_byte()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await engine.SendAsync(WebSocketMessageKind.Text, ReadOnlyMemory<byte>.Empty, true, CancellationToken.None);
        RawFrame frame = (await peer.ReadFrameAsync())!;
        Assert.Equal(4, frame.Rsv);
        Assert.Equal(new byte[] { 0x00 }, frame.Payload);
    }

    [Fact]
    public async Task The_compression_threshold_sends_small_messages_uncompressed()
    {
        var (engine, peer) = RawPeer.Create(
            WebSocketRole.Server,
            o => new WebSocketEngineOptions { Role = o.Role, Deflate = Takeover, DeflateOptions = new PerMessageDeflateOptions { CompressionThreshold = 64 } });
        await engine.SendTextAsync("tiny");
        RawFrame frame = (await peer.ReadFrameAsync())!;
        Assert.Equal(0, frame.Rsv);
        Assert.Equal("tiny"u8.ToArray(), frame.Payload);
    }

    [Fact]
    public async Task A_decompression_bomb_is_stopped_with_1009()
    {
        byte[] zeros = new byte[20 * 1024 * 1024];
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(zeros);
            deflate.Flush();
        }

        byte[] payload = compressed.ToArray();
        Assert.True(payload.Length < 64 * 1024, $"the bomb is {payload.Length} bytes");
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, o => new WebSocketEngineOptions { Role = o.Role, Deflate = Takeover, MaxMessageSize = 1024 * 1024 });
        _ = peer.WriteAsync(peer.Build(2, payload, rsv: 4));
        WebSocketEvent close = await engine.NextCloseAsync();
        Assert.Equal(1009, close.CloseCode);
        Assert.Equal((ushort)1009, (await peer.ReadCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task A_policy_limit_bounds_the_decompressed_size()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await peer.WriteAsync(peer.Build(1, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv: 4));   // "Hello"
        WebSocketEvent close = await engine.NextCloseAsync(new ReceivePolicy(true, 4, true, 0));
        Assert.Equal(1009, close.CloseCode);
    }

    [Fact]
    public async Task Invalid_deflate_data_fails_with_1007()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await peer.WriteAsync(peer.Build(2, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], rsv: 4));
        WebSocketEvent close = await engine.NextCloseAsync();
        Assert.Equal(1007, close.CloseCode);
        Assert.Equal((ushort)1007, (await peer.ReadCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task Invalid_utf8_inside_compressed_text_fails_with_1007()
    {
        var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write([0x61, 0xED, 0xA0, 0x80]);
            deflate.Flush();
        }

        byte[] payload = compressed.ToArray()[..^4];
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await peer.WriteAsync(peer.Build(1, payload, rsv: 4));
        Assert.Equal(1007, (await engine.NextCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task Uncompressed_messages_pass_when_deflate_is_negotiated()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await peer.SendTextAsync("plain");
        Assert.Equal("plain", (await engine.NextAsync()).Text());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_large_compressed_text_message_arrives_intact_whole_or_in_code_point_aligned_parts(bool whole)
    {
        var (a, b) = DuplexPipe.CreatePair();
        var options = new WebSocketEngineOptions { Role = WebSocketRole.Server, Deflate = Takeover, MaxMessageSize = 2 * 1024 * 1024 };
        await using var server = new WebSocketEngine(a, options);
        await using var client = new WebSocketEngine(b, new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = Takeover });
        string text = string.Concat(Enumerable.Repeat("é€🎉x", 60_000));   // 600,000 bytes, compresses to little
        Task send = client.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text), true, CancellationToken.None).AsTask();
        var received = new StringBuilder();
        int parts = 0;
        WebSocketEvent e;
        do
        {
            e = await server.NextAsync(whole ? ReceivePolicy.Whole : ReceivePolicy.Partial);
            Assert.Equal(WebSocketEventKind.Text, e.Kind);
            Assert.True(System.Text.Unicode.Utf8.IsValid(e.Payload.Span));
            received.Append(e.Text());
            parts++;
        }
        while (!e.EndOfMessage);
        await send.WaitAsync(EngineTestExtensions.Timeout);
        Assert.Equal(text, received.ToString());
        Assert.True(whole ? parts == 1 : parts > 5, $"{parts} parts");
    }

    [Fact]
    public async Task Messages_ending_with_a_bfinal_block_are_each_decoded()
    {
        // RFC 7692 §7.2.3.3: a sender without sync flush may end each message's deflate stream with BFINAL = 1.
        static byte[] CompressFinal(string text)
        {
            var output = new MemoryStream();
            using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
            {
                deflate.Write(Encoding.UTF8.GetBytes(text));
            }

            return output.ToArray();
        }

        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: Takeover);
        await peer.WriteAsync(peer.Build(1, CompressFinal("first message"), rsv: 4));
        await peer.WriteAsync(peer.Build(1, CompressFinal("second message"), rsv: 4));
        await peer.WriteAsync(peer.Build(1, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], rsv: 4));
        Assert.Equal("first message", (await engine.NextAsync()).Text());
        Assert.Equal("second message", (await engine.NextAsync()).Text());
        Assert.Equal("Hello", (await engine.NextAsync()).Text());
    }
}
