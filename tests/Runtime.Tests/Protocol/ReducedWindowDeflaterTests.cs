using System.IO.Compression;
using System.Net.WebSockets;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// <summary>
/// A server window of 9–14 bits (server_max_window_bits in the client's offer): what the engine sends inflates in an
/// inflater that holds only that window (System.Net.WebSockets' client, whose zlib stream is initialised with the agreed
/// window and fails on any reference further back), and in our own 15-bit decompressor. The 15-bit compressor's
/// output fails the same small inflater, so the check has teeth.
/// </summary>
public sealed class ReducedWindowDeflaterTests
{
    public static TheoryData<int, bool> Windows => new()
    {
        { 9, false }, { 9, true }, { 10, false }, { 12, false }, { 12, true }, { 14, false },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public async Task Messages_inflate_in_an_inflater_holding_only_the_agreed_window(int windowBits, bool noContextTakeover)
    {
        using var compressor = new PerMessageDeflateCompressor(noContextTakeover, CompressionLevel.Fastest, windowBits);
        byte[][] messages = [FarRepeats.Create(3000, seed: 1), FarRepeats.Create(70_000, seed: 2), [], FarRepeats.Create(200, seed: 3), FarRepeats.Create(3000, seed: 1)];
        var frames = new MemoryStream();
        foreach (byte[] message in messages)
        {
            WriteServerFrame(frames, rsv1: true, WebSocketOpcode.Binary, fin: true, compressor.Compress(message, endOfMessage: true).Span);
        }

        List<byte[]> received = await ReceiveWithSmallWindowAsync(frames.ToArray(), windowBits, noContextTakeover, messages.Length);

        Assert.Equal(messages, received);
        Assert.Equal(messages, InflateWithOurDecompressor(frames.ToArray(), noContextTakeover));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(13)]
    public async Task A_fragmented_message_keeps_rsv1_on_its_first_frame_and_inflates_in_the_small_window(int windowBits)
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: new PerMessageDeflateParameters { ServerMaxWindowBits = windowBits });
        byte[] message = FarRepeats.Create(20_000, seed: 4);
        await engine.SendAsync(WebSocketMessageKind.Binary, message.AsMemory(0, 7000), endOfMessage: false, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, ReadOnlyMemory<byte>.Empty, endOfMessage: false, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, message.AsMemory(7000), endOfMessage: true, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, message, endOfMessage: true, CancellationToken.None);

        var frames = new MemoryStream();
        for (int i = 0; i < 4; i++)
        {
            RawFrame frame = (await peer.ReadFrameAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
            Assert.Equal(i is 0 or 3 ? 4 : 0, frame.Rsv);
            WriteServerFrame(frames, frame.Rsv == 4, (WebSocketOpcode)frame.Opcode, frame.Fin, frame.Payload);
        }

        Assert.Equal(new List<byte[]> { message, message }, await ReceiveWithSmallWindowAsync(frames.ToArray(), windowBits, noContextTakeover: false, count: 2));
    }

    [Fact]
    public async Task The_15_bit_compressors_output_fails_a_9_bit_inflater()
    {
        using var compressor = new PerMessageDeflateCompressor(noContextTakeover: false, CompressionLevel.Fastest);
        var frames = new MemoryStream();
        WriteServerFrame(frames, rsv1: true, WebSocketOpcode.Binary, fin: true, compressor.Compress(FarRepeats.Create(3000, seed: 1), endOfMessage: true).Span);

        await Assert.ThrowsAsync<WebSocketException>(() => ReceiveWithSmallWindowAsync(frames.ToArray(), windowBits: 9, noContextTakeover: false, count: 1));
    }

    [Fact]
    public void Without_context_takeover_the_same_message_compresses_to_the_same_bytes()
    {
        using var compressor = new PerMessageDeflateCompressor(noContextTakeover: true, CompressionLevel.Fastest, windowBits: 10);
        byte[] message = FarRepeats.Create(5000, seed: 5);
        byte[] first = compressor.Compress(message, endOfMessage: true).ToArray();
        byte[] second = compressor.Compress(message, endOfMessage: true).ToArray();
        Assert.Equal(first, second);
        Assert.False(first.AsSpan().EndsWith(PerMessageDeflateDecompressor.Tail));
    }

    [Fact]
    public async Task A_prepared_frame_for_a_small_window_is_what_the_engine_writes_and_is_kept_apart_from_the_15_bit_one()
    {
        byte[] payload = FarRepeats.Create(4000, seed: 6);
        var prepared = PreparedFrameTests.Prepare(WebSocketMessageKind.Binary, payload);
        var deflate = new PerMessageDeflateParameters { ServerNoContextTakeover = true, ServerMaxWindowBits = 9 };
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, deflate: deflate);

        await engine.SendAsync(WebSocketMessageKind.Binary, payload, endOfMessage: true, CancellationToken.None);
        await engine.SendPreparedAsync(prepared, CancellationToken.None);
        RawFrame direct = (await peer.ReadFrameAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
        RawFrame shared = (await peer.ReadFrameAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;

        Assert.Equal((direct.Rsv, direct.Opcode, direct.Fin), (shared.Rsv, shared.Opcode, shared.Fin));
        Assert.Equal(direct.Payload, shared.Payload);
        Assert.Equal(4, direct.Rsv);
        Assert.NotEqual(prepared.GetCompressedFrame(CompressionLevel.Fastest, 9).ToArray(), prepared.GetCompressedFrame(CompressionLevel.Fastest).ToArray());
        Assert.Equal(2, prepared.Compressions);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void A_window_outside_9_to_15_is_refused(int windowBits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PerMessageDeflateCompressor(false, CompressionLevel.Fastest, windowBits));
    }

    private static void WriteServerFrame(Stream output, bool rsv1, WebSocketOpcode opcode, bool fin, ReadOnlySpan<byte> payload)
    {
        byte[] header = new byte[FrameHeader.GetHeaderSize(payload.Length, masked: false)];
        FrameHeader.Write(header, fin, rsv1, opcode, payload.Length, maskKey: null);
        output.Write(header);
        output.Write(payload);
    }

    // System.Net.WebSockets as the client: its inflater is created with exactly the agreed server window. zlib checks
    // a distance against the window only when it reaches back past the current output buffer, so the buffer is small:
    // every reference further back than 128 bytes comes from the window, and one beyond it fails the receive.
    private static async Task<List<byte[]>> ReceiveWithSmallWindowAsync(byte[] frames, int windowBits, bool noContextTakeover, int count)
    {
        var (ours, theirs) = DuplexPipe.CreatePair();
        Task feed = theirs.Output.WriteAsync(frames).AsTask();
        using var client = WebSocket.CreateFromStream(new ChunkingStream(ours, static () => int.MaxValue), new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.Zero,
            DangerousDeflateOptions = new WebSocketDeflateOptions { ServerMaxWindowBits = windowBits, ServerContextTakeover = !noContextTakeover },
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var messages = new List<byte[]>();
        byte[] buffer = new byte[128];
        for (int i = 0; i < count; i++)
        {
            var message = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(), timeout.Token);
                Assert.Equal(WebSocketMessageType.Binary, result.MessageType);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            messages.Add(message.ToArray());
        }

        await feed.WaitAsync(timeout.Token);
        return messages;
    }

    // Our own receiving half, whose inflater always holds 15 bits: it reads any smaller window.
    private static List<byte[]> InflateWithOurDecompressor(byte[] frames, bool noContextTakeover)
    {
        using var decompressor = new PerMessageDeflateDecompressor(noContextTakeover);
        var messages = new List<byte[]>();
        var input = new MemoryStream(frames);
        byte[] buffer = new byte[4096];
        while (input.Position < input.Length)
        {
            int lengthCode = frames[input.Position + 1] & 0x7F;
            int headerSize = lengthCode switch { 126 => 4, 127 => 10, _ => 2 };
            long length = lengthCode switch
            {
                126 => (frames[input.Position + 2] << 8) | frames[input.Position + 3],
                127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(frames.AsSpan((int)input.Position + 2)),
                _ => lengthCode,
            };
            decompressor.AddInput(frames.AsSpan((int)input.Position + headerSize, (int)length));
            decompressor.AddTail();
            input.Position += headerSize + length;
            var message = new MemoryStream();
            int n;
            while ((n = decompressor.Read(buffer)) > 0)
            {
                message.Write(buffer, 0, n);
            }

            decompressor.EndMessage();
            messages.Add(message.ToArray());
        }

        return messages;
    }
}
