using System.IO.Pipelines;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// The engine's writer over a Stream transport: one stream write per frame, a stream flush only where the transport
/// needs one, and cancellation that releases a write stuck on a transport that takes nothing.
public sealed class StreamFrameWriterTests
{
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task A_frame_is_one_stream_write_and_a_flush_follows_only_where_writes_do_not_reach_the_peer(bool writesReachPeer, int flushesPerFrame)
    {
        var transport = new RecordingStream();
        await using var engine = new WebSocketEngine(transport, new WebSocketEngineOptions { Role = WebSocketRole.Server, WritesReachPeer = writesReachPeer });

        await engine.SendAsync(WebSocketMessageKind.Text, "hello"u8.ToArray(), endOfMessage: true, CancellationToken.None);
        await engine.SendAsync(WebSocketMessageKind.Binary, new byte[60_000], endOfMessage: true, CancellationToken.None);

        Assert.Equal(2, transport.Writes.Count);
        Assert.Equal(new byte[] { 0x81, 5, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, transport.Writes[0]);
        Assert.Equal(4 + 60_000, transport.Writes[1].Length);   // 2-byte header + 16-bit length, then the payload
        Assert.Equal(new byte[] { 0x82, 126 }, transport.Writes[1][..2]);
        Assert.Equal(2 * flushesPerFrame, transport.Flushes);
    }

    [Fact]
    public async Task A_frame_larger_than_the_send_bound_goes_out_in_bounded_writes_in_order()
    {
        var transport = new RecordingStream();
        await using var engine = new WebSocketEngine(transport, new WebSocketEngineOptions { Role = WebSocketRole.Server, WritesReachPeer = true, MaxQueuedSendBytes = 100_000 });
        byte[] payload = new byte[300_000];
        Random.Shared.NextBytes(payload);

        await engine.SendAsync(WebSocketMessageKind.Binary, payload, endOfMessage: true, CancellationToken.None);

        byte[] wire = transport.Writes.SelectMany(w => w).ToArray();
        Assert.Equal(10 + payload.Length, wire.Length);   // 64-bit length form
        Assert.Equal(payload, wire[10..]);
        Assert.InRange(transport.Writes.Count, 2, 4);       // flushed whenever 100,000 bytes are waiting
        Assert.All(transport.Writes, w => Assert.InRange(w.Length, 1, 100_000 + FrameWriter.MaxChunkSize + 10));
    }

    [Fact]
    public async Task CancelPendingFlush_releases_a_write_the_transport_never_takes()
    {
        var transport = new RecordingStream { BlockWrites = true };
        var writer = new StreamFrameWriter(transport, writesReachPeer: true);
        writer.GetSpan(3)[..3].Fill(7);
        writer.Advance(3);

        ValueTask<FlushResult> flush = writer.FlushAsync();
        Assert.False(flush.IsCompleted);
        writer.CancelPendingFlush();
        FlushResult result = await flush.AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(result.IsCanceled);
        transport.BlockWrites = false;
        writer.GetSpan(1)[0] = 9;
        writer.Advance(1);
        Assert.False((await writer.FlushAsync()).IsCanceled);   // the next flush is not canceled too
        Assert.Equal(new byte[] { 9 }, Assert.Single(transport.Writes));
        writer.Complete();
    }

    [Fact]
    public async Task A_flush_canceled_by_its_caller_throws_and_the_next_flush_writes()
    {
        var transport = new RecordingStream { BlockWrites = true };
        var writer = new StreamFrameWriter(transport, writesReachPeer: true);
        using var timeout = new CancellationTokenSource();
        writer.GetSpan(1)[0] = 1;
        writer.Advance(1);

        ValueTask<FlushResult> flush = writer.FlushAsync(timeout.Token);
        timeout.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => flush.AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        transport.BlockWrites = false;
        writer.GetSpan(1)[0] = 2;
        writer.Advance(1);
        Assert.False((await writer.FlushAsync()).IsCanceled);
        Assert.Equal(new byte[] { 2 }, Assert.Single(transport.Writes));
        writer.Complete();
    }

    [Fact]
    public async Task A_send_stuck_on_a_transport_that_takes_nothing_ends_when_the_engine_is_aborted()
    {
        var transport = new RecordingStream { BlockWrites = true };
        await using var engine = new WebSocketEngine(transport, new WebSocketEngineOptions { Role = WebSocketRole.Server, WritesReachPeer = true });

        Task send = engine.SendAsync(WebSocketMessageKind.Text, "stuck"u8.ToArray(), endOfMessage: true, CancellationToken.None).AsTask();
        Assert.False(send.IsCompleted);
        engine.Abort();

        await Assert.ThrowsAsync<IOException>(() => send.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// Records each write as the bytes it carried (copied, as a socket would send them) and counts flushes; with
    /// BlockWrites a write waits until its token is canceled, like a peer that never reads.
    private sealed class RecordingStream : Stream
    {
        public List<byte[]> Writes { get; } = [];

        public int Flushes { get; private set; }

        public bool BlockWrites { get; set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (BlockWrites)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            Writes.Add(buffer.ToArray());
        }

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return Task.CompletedTask;
        }

        // The engine's reader waits here; nothing ever arrives.
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override void Flush() => Flushes++;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
