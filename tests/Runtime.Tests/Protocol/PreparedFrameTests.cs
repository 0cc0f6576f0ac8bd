using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Text;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Tests.Shared;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// <summary>
/// A prepared message on the wire: the engine writes exactly the bytes <c>SendAsync</c> writes for the same message,
/// whether it takes the shared frame, the shared compressed frame (no context takeover) or compresses with its own
/// deflater (context takeover); a client masks it as any message.
/// </summary>
public class PreparedFrameTests
{
    private static readonly PerMessageDeflateParameters NoContextTakeover = new() { ServerNoContextTakeover = true, ClientNoContextTakeover = true };
    private static readonly PerMessageDeflateParameters ContextTakeover = new();

    public static TheoryData<bool, int> Lengths => new()
    {
        { true, 0 }, { false, 0 }, { true, 1 }, { false, 125 }, { true, 125 }, { false, 126 }, { true, 126 },
        { false, 65535 }, { true, 65536 }, { false, 65536 }, { false, 200_000 },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public async Task The_prepared_frame_is_what_the_engine_writes_for_the_same_message(bool text, int length)
    {
        var payload = Payload(length, text);
        var kind = text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
        var prepared = Prepare(kind, payload);
        var (engine, wire) = Server(deflate: null);

        var expected = await WrittenAsync(wire, engine.SendAsync(kind, payload, endOfMessage: true, CancellationToken.None));
        var actual = await WrittenAsync(wire, engine.SendPreparedAsync(prepared, CancellationToken.None));

        Assert.Equal(expected, actual);
        Assert.Equal(expected, prepared.Frame.ToArray());
        Assert.Equal(payload, prepared.Payload.ToArray());
    }

    [Fact]
    public async Task A_frame_sent_without_its_flush_waits_for_the_next_flush_or_FlushOwedAsync()
    {
        var (engine, wire) = Server(deflate: null);
        var first = Prepare(WebSocketMessageKind.Binary, Payload(10, text: false));
        var second = Prepare(WebSocketMessageKind.Binary, Payload(20, text: false));

        await engine.SendPreparedAsync(first, flush: false, CancellationToken.None);
        Assert.True(engine.FlushOwed);
        Assert.False(wire.TryRead(out _));   // written, not flushed: the reader sees nothing yet

        // The next write's flush carries both frames, in order.
        await engine.SendPreparedAsync(second, flush: true, CancellationToken.None);
        Assert.False(engine.FlushOwed);
        Assert.True(wire.TryRead(out var both));
        Assert.Equal(first.Frame.ToArray().Concat(second.Frame.ToArray()), both.Buffer.ToArray());
        wire.AdvanceTo(both.Buffer.End);

        // Alone, the owed flush is FlushOwedAsync's; with nothing owed it writes nothing.
        await engine.SendPreparedAsync(first, flush: false, CancellationToken.None);
        await engine.FlushOwedAsync();
        Assert.False(engine.FlushOwed);
        Assert.True(wire.TryRead(out var alone));
        Assert.Equal(first.Frame.ToArray(), alone.Buffer.ToArray());
        wire.AdvanceTo(alone.Buffer.End);
        var progress = engine.SendProgress;
        await engine.FlushOwedAsync();
        Assert.Equal(progress, engine.SendProgress);
    }

    [Fact]
    public async Task A_text_frame_matches_the_engines_text_path_too()
    {
        var text = "héllo, wörld " + new string('x', 300);
        var prepared = Prepare(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text));
        var (engine, wire) = Server(deflate: null);

        var expected = await WrittenAsync(wire, engine.SendTextAsync(text, Encoding.UTF8.GetByteCount(text), CancellationToken.None));

        Assert.Equal(expected, prepared.Frame.ToArray());
        Assert.Equal(expected, await WrittenAsync(wire, engine.SendPreparedAsync(prepared, CancellationToken.None)));
    }

    [Theory]
    [InlineData(CompressionLevel.Fastest, 0)]
    [InlineData(CompressionLevel.Optimal, 1)]
    [InlineData(CompressionLevel.SmallestSize, 5000)]
    [InlineData(CompressionLevel.Fastest, 70_000)]
    public async Task With_no_context_takeover_the_shared_compressed_frame_is_what_the_engine_compresses(CompressionLevel level, int length)
    {
        var payload = Payload(length, text: true);
        var prepared = Prepare(WebSocketMessageKind.Text, payload);
        var (engine, wire) = Server(NoContextTakeover, level);

        var expected = await WrittenAsync(wire, engine.SendAsync(WebSocketMessageKind.Text, payload, endOfMessage: true, CancellationToken.None));
        var actual = await WrittenAsync(wire, engine.SendPreparedAsync(prepared, CancellationToken.None));

        Assert.Equal(0x40, expected[0] & 0x40);   // RSV1: compressed
        Assert.Equal(expected, actual);
        Assert.Equal(expected, prepared.GetCompressedFrame(level).ToArray());
        Assert.Equal(1, prepared.Compressions);
    }

    [Fact]
    public async Task Sessions_with_no_context_takeover_share_one_compressed_frame_and_their_peers_inflate_it()
    {
        var payload = Payload(10_000, text: true);
        var prepared = Prepare(WebSocketMessageKind.Text, payload);
        var pairs = Enumerable.Range(0, 3).Select(_ => Connected(NoContextTakeover)).ToList();

        foreach (var (server, _) in pairs)
        {
            await server.SendPreparedAsync(prepared, CancellationToken.None);
            await server.SendPreparedAsync(prepared, CancellationToken.None);
        }

        Assert.Equal(1, prepared.Compressions);
        // The same array each time (ReadOnlyMemory equality is identity of the memory).
        Assert.True(prepared.GetCompressedFrame(CompressionLevel.Fastest).Equals(prepared.GetCompressedFrame(CompressionLevel.Fastest)));
        foreach (var (_, client) in pairs)
        {
            Assert.Equal(payload, await ReceiveAsync(client));
            Assert.Equal(payload, await ReceiveAsync(client));
        }
    }

    [Fact]
    public async Task A_session_with_context_takeover_compresses_with_its_own_deflater_and_its_peer_inflates_every_message()
    {
        var payload = Payload(10_000, text: false);
        var prepared = Prepare(WebSocketMessageKind.Binary, payload);
        var (server, client) = Connected(ContextTakeover);
        var (shared, sharedClient) = Connected(NoContextTakeover);

        for (var i = 0; i < 3; i++)
        {
            await server.SendPreparedAsync(prepared, CancellationToken.None);
            await shared.SendPreparedAsync(prepared, CancellationToken.None);
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(payload, await ReceiveAsync(client));
            Assert.Equal(payload, await ReceiveAsync(sharedClient));
        }

        Assert.Equal(1, prepared.Compressions);   // the no-context session's only; the other used its own deflater
    }

    [Fact]
    public async Task A_client_masks_the_payload_with_its_own_key()
    {
        var payload = Payload(300, text: false);
        var prepared = Prepare(WebSocketMessageKind.Binary, payload);
        var (client, peer) = RawPeer.Create(WebSocketRole.Client);

        await client.SendPreparedAsync(prepared, CancellationToken.None);
        var frame = await peer.ReadFrameAsync();

        Assert.NotNull(frame);
        Assert.True(frame.Masked);
        Assert.Equal(2, frame.Opcode);
        Assert.Equal(payload, frame.Payload);
    }

    [Fact]
    public async Task A_closed_engine_refuses_a_prepared_message_like_any_other()
    {
        var (engine, _) = Server(deflate: null);
        engine.Abort();

        await Assert.ThrowsAnyAsync<InvalidOperationException>(
            async () => await engine.SendPreparedAsync(Prepare(WebSocketMessageKind.Text, [1]), CancellationToken.None));
    }

    internal static PreparedFrame Prepare(WebSocketMessageKind kind, byte[] payload)
    {
        var frame = new PreparedFrame(kind, payload.Length);
        payload.CopyTo(frame.PayloadBuffer);
        return frame;
    }

    private static byte[] Payload(int length, bool text)
    {
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
        {
            payload[i] = text ? (byte)('a' + (i * 7 % 26)) : (byte)(i * 31 % 251);
        }

        return payload;
    }

    private static (WebSocketEngine Engine, PipeReader Wire) Server(PerMessageDeflateParameters? deflate, CompressionLevel level = CompressionLevel.Fastest)
    {
        var (a, b) = DuplexPipe.CreatePair();
        var engine = new WebSocketEngine(a, new WebSocketEngineOptions
        {
            Role = WebSocketRole.Server,
            Deflate = deflate,
            DeflateOptions = new PerMessageDeflateOptions { CompressionLevel = level },
        });
        return (engine, b.Input);
    }

    private static (WebSocketEngine Server, WebSocketEngine Client) Connected(PerMessageDeflateParameters deflate)
    {
        var (a, b) = DuplexPipe.CreatePair();
        var server = new WebSocketEngine(a, new WebSocketEngineOptions { Role = WebSocketRole.Server, Deflate = deflate });
        var client = new WebSocketEngine(b, new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = deflate });
        return (server, client);
    }

    private static async Task<byte[]> ReceiveAsync(WebSocketEngine client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await client.ReceiveAsync(ReceivePolicy.Whole, timeout.Token);
        Assert.True(received.Kind is WebSocketEventKind.Text or WebSocketEventKind.Binary, $"got {received.Kind}: {received.Error}");
        return received.Payload.ToArray();
    }

    // The raw bytes of the one frame a send writes (read while it is written, so a large one cannot fill the pipe).
    private static async Task<byte[]> WrittenAsync(PipeReader wire, ValueTask send)
    {
        var read = ReadFrameBytesAsync(wire);
        await send;
        return await read.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static async Task<byte[]> ReadFrameBytesAsync(PipeReader wire)
    {
        while (true)
        {
            var result = await wire.ReadAsync();
            var buffer = result.Buffer;
            if (buffer.Length >= 2)
            {
                var header = buffer.Slice(0, Math.Min(buffer.Length, 14)).ToArray();
                var lengthCode = header[1] & 0x7F;
                var headerSize = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                if (header.Length >= headerSize)
                {
                    long length = lengthCode switch
                    {
                        126 => (header[2] << 8) | header[3],
                        127 => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(2)),
                        _ => lengthCode,
                    };
                    if (buffer.Length >= headerSize + length)
                    {
                        var frame = buffer.Slice(0, headerSize + length);
                        var bytes = frame.ToArray();
                        wire.AdvanceTo(frame.End);
                        return bytes;
                    }
                }
            }

            Assert.False(result.IsCompleted, "The connection ended before a whole frame.");
            wire.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
