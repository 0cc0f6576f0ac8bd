using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// Hand-built frames breaking (and keeping) each RFC 6455 framing rule; every violation must put a close frame with
/// the right code on the wire and end in a Close event carrying the error.
public sealed class FramingRuleTests
{
    private static async Task AssertFailsAsync(WebSocketRole role, byte[] bytes, ushort expectedCode, ReceivePolicy? policy = null, Func<WebSocketEngineOptions, WebSocketEngineOptions>? configure = null, PerMessageDeflateParameters? deflate = null)
    {
        var (engine, peer) = RawPeer.Create(role, configure, deflate);
        await peer.WriteAsync(bytes);
        WebSocketEvent close = await engine.NextCloseAsync(policy);
        Assert.Equal(expectedCode, close.CloseCode);
        var error = Assert.IsType<WebSocketProtocolException>(close.Error);
        Assert.Equal(expectedCode, error.CloseCode);
        RawFrame frame = await peer.ReadCloseAsync();
        Assert.Equal(expectedCode, frame.CloseCode);
        Assert.Equal(role == WebSocketRole.Client, frame.Masked);
        Assert.True(await peer.IsOutputEndedAsync());
        Assert.Equal(WebSocketEngineState.Closed, engine.State);
    }

    [Fact]
    public async Task Server_rejects_an_unmasked_client_frame_with_1002()
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(1, "hi"u8, masked: false), 1002);
    }

    [Fact]
    public async Task Client_rejects_a_masked_server_frame_with_1002()
    {
        await AssertFailsAsync(WebSocketRole.Client, RawPeer.Frame(1, "hi"u8, masked: true), 1002);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public async Task Reserved_opcodes_fail_with_1002(byte opcode)
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(opcode, "x"u8), 1002);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Rsv_bits_without_an_extension_fail_with_1002(byte rsv)
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(1, "x"u8, rsv: rsv), 1002);
    }

    [Fact]
    public async Task Rsv1_on_a_control_frame_fails_with_1002_even_with_deflate()
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(9, "x"u8, rsv: 4), 1002, deflate: new PerMessageDeflateParameters());
    }

    [Fact]
    public async Task Rsv1_on_a_continuation_fails_with_1002()
    {
        byte[] bytes = [.. RawPeer.Frame(2, [], fin: false, rsv: 4), .. RawPeer.Frame(0, [1], rsv: 4)];
        await AssertFailsAsync(WebSocketRole.Server, bytes, 1002, deflate: new PerMessageDeflateParameters());
    }

    [Fact]
    public async Task A_control_frame_longer_than_125_bytes_fails_with_1002()
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(9, new byte[126]), 1002);
    }

    [Fact]
    public async Task A_fragmented_control_frame_fails_with_1002()
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(9, "x"u8, fin: false), 1002);
    }

    [Fact]
    public async Task A_continuation_without_a_start_fails_with_1002()
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(0, "x"u8), 1002);
    }

    [Fact]
    public async Task A_new_data_frame_inside_a_fragmented_message_fails_with_1002()
    {
        byte[] bytes = [.. RawPeer.Frame(1, "a"u8, fin: false), .. RawPeer.Frame(2, "b"u8)];
        await AssertFailsAsync(WebSocketRole.Server, bytes, 1002, ReceivePolicy.Whole);
    }

    [Fact]
    public async Task A_64_bit_length_with_the_top_bit_set_fails_with_1002()
    {
        byte[] bytes = [0x82, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4];
        await AssertFailsAsync(WebSocketRole.Server, bytes, 1002);
    }

    [Fact]
    public async Task A_frame_over_the_frame_limit_fails_with_1009_from_the_header_alone()
    {
        // Only the header is sent: the engine must decide before any payload arrives.
        byte[] header = RawPeer.Frame(2, new byte[70_000])[..14];
        await AssertFailsAsync(WebSocketRole.Server, header, 1009, configure: o => new WebSocketEngineOptions { Role = o.Role, MaxFramePayloadSize = 65_536 });
    }

    [Fact]
    public async Task A_whole_message_over_its_limit_fails_with_1009_before_the_excess_arrives()
    {
        // Two fragments of 600 bytes against a 1000-byte text limit; the second fragment's payload is never sent.
        byte[] first = RawPeer.Frame(1, Encoding.ASCII.GetBytes(new string('a', 600)), fin: false);
        byte[] secondHeader = RawPeer.Frame(0, Encoding.ASCII.GetBytes(new string('a', 600)))[..8];
        await AssertFailsAsync(WebSocketRole.Server, [.. first, .. secondHeader], 1009, new ReceivePolicy(true, 1000, true, 0));
    }

    [Fact]
    public async Task Invalid_utf8_fails_fast_with_1007_before_the_message_ends()
    {
        // A non-final fragment with an invalid byte: the engine must not wait for the rest of the message.
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(1, [(byte)'o', (byte)'k', 0xC0, 0xAF], fin: false), 1007);
    }

    [Theory]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]          // surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]    // above U+10FFFF
    [InlineData(new byte[] { 0xE0, 0x80, 0xAF })]          // overlong
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0x80 })]
    public async Task Invalid_utf8_in_partial_mode_fails_with_1007(byte[] bad)
    {
        await AssertFailsAsync(WebSocketRole.Server, RawPeer.Frame(1, bad), 1007, ReceivePolicy.Partial);
    }

    [Fact]
    public async Task An_incomplete_code_point_at_the_end_of_the_final_fragment_fails_with_1007()
    {
        byte[] bytes = [.. RawPeer.Frame(1, "a"u8, fin: false), .. RawPeer.Frame(0, [0xE2, 0x82])];
        await AssertFailsAsync(WebSocketRole.Server, bytes, 1007);
    }

    [Fact]
    public async Task A_code_point_split_across_fragments_is_valid()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        byte[] euro = Encoding.UTF8.GetBytes("€uro");
        await peer.WriteAsync([.. RawPeer.Frame(1, euro[..1], fin: false), .. RawPeer.Frame(0, euro[1..2], fin: false), .. RawPeer.Frame(0, euro[2..])]);
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Text, e.Kind);
        Assert.Equal("€uro", e.Text());
        Assert.True(e.EndOfMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(200_000)]
    public async Task Lengths_in_7_16_and_64_bits_are_read(int length)
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        byte[] payload = new byte[length];
        new Random(length).NextBytes(payload);
        _ = peer.WriteAsync(RawPeer.Frame(2, payload));
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Binary, e.Kind);
        Assert.Equal(payload, e.Payload.ToArray());
    }

    [Fact]
    public async Task A_small_length_in_the_64_bit_form_is_accepted()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync(peer.Build(2, [1, 2, 3], lengthBytes: 8));
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, e.Payload.ToArray());
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(1, 16)]
    [InlineData(125, 16)]
    [InlineData(126, 16)]
    [InlineData(65_536, 16)]
    [InlineData(0, 1 << 20)]
    [InlineData(126, 1 << 20)]
    [InlineData(70_000, 1 << 20)]
    public async Task The_engine_writes_minimal_lengths_and_masks_only_as_a_client(int length, long maxQueued)
    {
        foreach (WebSocketRole role in new[] { WebSocketRole.Server, WebSocketRole.Client })
        {
            var (engine, peer) = RawPeer.Create(role, o => new WebSocketEngineOptions { Role = o.Role, MaxQueuedSendBytes = maxQueued });
            byte[] payload = new byte[length];
            new Random(length).NextBytes(payload);
            Task send = engine.SendAsync(WebSocketMessageKind.Binary, payload, true, CancellationToken.None).AsTask();
            RawFrame? frame = await peer.ReadFrameAsync();
            await send.WaitAsync(EngineTestExtensions.Timeout);
            Assert.NotNull(frame);
            Assert.Equal(role == WebSocketRole.Client, frame.Masked);
            Assert.Equal(2, frame.Opcode);
            Assert.True(frame.Fin);
            Assert.Equal(0, frame.Rsv);
            Assert.Equal(payload, frame.Payload);
        }
    }

    [Fact]
    public async Task Client_frames_use_a_fresh_mask_key_each_time()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client);
        var keys = new HashSet<string>();
        for (int i = 0; i < 8; i++)
        {
            await engine.SendTextAsync("same");
            RawFrame? frame = await peer.ReadFrameAsync();
            Assert.Equal("same", Encoding.UTF8.GetString(frame!.Payload));
            keys.Add(Convert.ToHexString(frame.MaskKey!));
        }

        Assert.True(keys.Count >= 7, "mask keys repeat: " + string.Join(",", keys));
    }

    [Fact]
    public async Task One_byte_reads_deliver_fragmented_text_and_control_frames()
    {
        var (a, b) = DuplexPipe.CreatePair();
        await using var engine = new WebSocketEngine(new ChunkingStream(a, () => 1), new WebSocketEngineOptions { Role = WebSocketRole.Server });
        var peer = new RawPeer(b, masks: true);
        byte[] text = Encoding.UTF8.GetBytes("héllo wörld 🎉 and more text to cross the mask key many times");
        await peer.WriteAsync([
            .. RawPeer.Frame(1, text[..13], fin: false),
            .. RawPeer.Frame(9, "p"u8),
            .. RawPeer.Frame(0, text[13..20], fin: false),
            .. RawPeer.Frame(0, text[20..]),
            .. RawPeer.Frame(2, new byte[300]),
        ]);
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal("héllo wörld 🎉 and more text to cross the mask key many times", e.Text());
        RawFrame? pong = await peer.ReadFrameAsync();
        Assert.Equal(10, pong!.Opcode);
        Assert.Equal("p"u8.ToArray(), pong.Payload);
        WebSocketEvent binary = await engine.NextAsync();
        Assert.Equal(300, binary.Payload.Length);
    }

    [Fact]
    public async Task Partial_text_parts_end_on_code_point_boundaries_with_one_byte_reads()
    {
        var (a, b) = DuplexPipe.CreatePair();
        await using var engine = new WebSocketEngine(new ChunkingStream(a, () => 1), new WebSocketEngineOptions { Role = WebSocketRole.Server });
        var peer = new RawPeer(b, masks: true);
        string expected = "a€b🎉c";
        byte[] text = Encoding.UTF8.GetBytes(expected);
        await peer.WriteAsync([.. RawPeer.Frame(1, text[..2], fin: false), .. RawPeer.Frame(0, text[2..6], fin: false), .. RawPeer.Frame(0, text[6..])]);
        var received = new StringBuilder();
        while (true)
        {
            WebSocketEvent part = await engine.NextAsync(ReceivePolicy.Partial);
            Assert.Equal(WebSocketEventKind.Text, part.Kind);
            received.Append(Encoding.UTF8.GetString(part.Payload.Span));   // throws on a split code point? no: check strictly below
            Assert.True(System.Text.Unicode.Utf8.IsValid(part.Payload.Span), "a part split a code point");
            if (part.EndOfMessage)
            {
                break;
            }
        }

        Assert.Equal(expected, received.ToString());
    }

    [Fact]
    public async Task Partial_binary_delivers_each_frame_and_marks_the_last()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync([.. RawPeer.Frame(2, [1, 2], fin: false), .. RawPeer.Frame(0, [], fin: false), .. RawPeer.Frame(0, [3])]);
        var all = new List<byte>();
        WebSocketEvent part;
        do
        {
            part = await engine.NextAsync(ReceivePolicy.Partial);
            Assert.Equal(WebSocketEventKind.Binary, part.Kind);
            all.AddRange(part.Payload.ToArray());
        }
        while (!part.EndOfMessage);
        Assert.Equal(new byte[] { 1, 2, 3 }, all.ToArray());
    }

    [Fact]
    public async Task Partial_mode_does_not_apply_the_message_limit()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync([.. RawPeer.Frame(2, new byte[800], fin: false), .. RawPeer.Frame(0, new byte[800])]);
        long total = 0;
        WebSocketEvent part;
        do
        {
            part = await engine.NextAsync(new ReceivePolicy(false, 1000, false, 1000));
            total += part.Payload.Length;
        }
        while (!part.EndOfMessage);
        Assert.Equal(1600, total);
    }
}
