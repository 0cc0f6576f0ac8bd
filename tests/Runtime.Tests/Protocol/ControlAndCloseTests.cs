using System.IO.Pipelines;
using System.Text;
using Annotated.WebSockets.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// Pings, pongs and the close handshake in both directions, checked on the wire and in the delivered events.
public sealed class ControlAndCloseTests
{
    [Fact]
    public async Task A_ping_is_answered_with_a_pong_carrying_the_same_payload_and_not_delivered()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendAsync(9, "hello ping"u8);
        await peer.SendTextAsync("after");
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Text, e.Kind);
        Assert.Equal("after", e.Text());
        RawFrame? pong = await peer.ReadFrameAsync();
        Assert.Equal(10, pong!.Opcode);
        Assert.Equal("hello ping"u8.ToArray(), pong.Payload);
        Assert.False(pong.Masked);
    }

    [Fact]
    public async Task With_DeliverPings_the_ping_reaches_the_caller_and_no_pong_is_sent()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client, o => new WebSocketEngineOptions { Role = o.Role, DeliverPings = true });
        await peer.SendAsync(9, [1, 2, 3]);
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Ping, e.Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, e.Payload.ToArray());
        await engine.SendPongAsync(e.Payload, CancellationToken.None);
        RawFrame? pong = await peer.ReadFrameAsync();
        Assert.Equal(10, pong!.Opcode);
        Assert.True(pong.Masked);
        Assert.Equal(new byte[] { 1, 2, 3 }, pong.Payload);
    }

    [Fact]
    public async Task Pongs_are_delivered_as_Pong_events()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendAsync(10, "unsolicited"u8);
        WebSocketEvent e = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Pong, e.Kind);
        Assert.Equal("unsolicited", e.Text());
    }

    [Fact]
    public async Task The_owner_sends_pings_and_unsolicited_pongs_with_payloads()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await engine.SendPingAsync("app ping"u8.ToArray(), CancellationToken.None);
        await engine.SendPongAsync("app pong"u8.ToArray(), CancellationToken.None);
        RawFrame? ping = await peer.ReadFrameAsync();
        RawFrame? pong = await peer.ReadFrameAsync();
        Assert.Equal((byte)9, ping!.Opcode);
        Assert.Equal("app ping"u8.ToArray(), ping.Payload);
        Assert.Equal((byte)10, pong!.Opcode);
        Assert.Equal("app pong"u8.ToArray(), pong.Payload);
        await Assert.ThrowsAsync<ArgumentException>(() => engine.SendPingAsync(new byte[126], CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Control_frames_between_fragments_are_handled_and_the_message_is_intact()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync([.. peer.Build(1, "frag"u8, fin: false), .. peer.Build(10, "pong"u8), .. peer.Build(9, "ping"u8), .. peer.Build(0, "ment"u8)]);
        WebSocketEvent pong = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Pong, pong.Kind);
        WebSocketEvent text = await engine.NextAsync();
        Assert.Equal("fragment", text.Text());
        Assert.Equal(10, (await peer.ReadFrameAsync())!.Opcode);
    }

    [Fact]
    public async Task Outgoing_fragments_may_be_interleaved_with_control_frames()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await engine.SendAsync(WebSocketMessageKind.Text, "ab"u8.ToArray(), false, CancellationToken.None);
        await engine.SendPingAsync("p"u8.ToArray(), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SendAsync(WebSocketMessageKind.Binary, new byte[1], true, CancellationToken.None).AsTask());
        await engine.SendAsync(WebSocketMessageKind.Text, "cd"u8.ToArray(), true, CancellationToken.None);
        RawFrame? f1 = await peer.ReadFrameAsync();
        RawFrame? f2 = await peer.ReadFrameAsync();
        RawFrame? f3 = await peer.ReadFrameAsync();
        Assert.Equal((1, false), (f1!.Opcode, f1.Fin));
        Assert.Equal((9, true), (f2!.Opcode, f2.Fin));
        Assert.Equal((0, true), (f3!.Opcode, f3.Fin));
        Assert.Equal("cd"u8.ToArray(), f3.Payload);
    }

    [Fact]
    public async Task The_peers_close_is_echoed_and_reported()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendCloseAsync(4001, "bye ✓");
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Close, close.Kind);
        Assert.Equal(4001, close.CloseCode);
        Assert.Equal("bye ✓", close.CloseReason);
        Assert.Null(close.Error);
        Assert.False(close.IsLocallyInitiated);
        RawFrame echo = await peer.ReadCloseAsync();
        Assert.Equal((ushort)4001, echo.CloseCode);
        Assert.True(await peer.IsOutputEndedAsync());
        Assert.Equal(WebSocketEngineState.Closed, engine.State);
        WebSocketEvent again = await engine.NextAsync();
        Assert.Equal(4001, again.CloseCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SendTextAsync("late"));
    }

    [Fact]
    public async Task An_empty_close_is_answered_with_1000_and_reported_as_1005()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client);
        await peer.SendAsync(8, []);
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(1005, close.CloseCode);
        Assert.Null(close.Error);
        RawFrame echo = await peer.ReadCloseAsync();
        Assert.Equal((ushort)1000, echo.CloseCode);
        Assert.True(echo.Masked);
    }

    [Theory]
    [InlineData(1000, true)]
    [InlineData(1001, true)]
    [InlineData(1002, true)]
    [InlineData(1003, true)]
    [InlineData(1007, true)]
    [InlineData(1010, true)]
    [InlineData(1011, true)]
    [InlineData(1012, true)]
    [InlineData(1013, true)]
    [InlineData(1014, true)]
    [InlineData(3000, true)]
    [InlineData(4999, true)]
    [InlineData(0, false)]
    [InlineData(999, false)]
    [InlineData(1004, false)]
    [InlineData(1005, false)]
    [InlineData(1006, false)]
    [InlineData(1015, false)]
    [InlineData(1016, false)]
    [InlineData(2999, false)]
    [InlineData(5000, false)]
    [InlineData(65535, false)]
    public async Task Close_codes_are_validated(int code, bool valid)
    {
        Assert.Equal(valid, CloseStatusCodes.IsValidOnWire((ushort)code));
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendCloseAsync((ushort)code);
        WebSocketEvent close = await engine.NextAsync();
        RawFrame answer = await peer.ReadCloseAsync();
        if (valid)
        {
            Assert.Equal(code, close.CloseCode);
            Assert.Null(close.Error);
            Assert.Equal((ushort)code, answer.CloseCode);
        }
        else
        {
            Assert.Equal(1002, close.CloseCode);
            Assert.IsType<WebSocketProtocolException>(close.Error);
            Assert.Equal((ushort)1002, answer.CloseCode);
        }
    }

    [Fact]
    public async Task A_one_byte_close_payload_fails_with_1002()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendAsync(8, [0x03]);
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(1002, close.CloseCode);
        Assert.Equal((ushort)1002, (await peer.ReadCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task A_close_reason_that_is_not_utf8_fails_with_1007()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.SendAsync(8, [0x03, 0xE8, 0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80]);
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(1007, close.CloseCode);
        Assert.Equal((ushort)1007, (await peer.ReadCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task A_local_close_waits_for_the_peer_and_reports_its_code()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await engine.CloseOutputAsync(1001, "going", CancellationToken.None);
        await engine.CloseOutputAsync(1000, null, CancellationToken.None);   // idempotent: no second frame
        Assert.Equal(WebSocketEngineState.CloseSent, engine.State);
        RawFrame sent = await peer.ReadCloseAsync();
        Assert.Equal((ushort)1001, sent.CloseCode);
        Assert.Equal("going", sent.CloseReason);
        await Assert.ThrowsAsync<InvalidOperationException>(() => engine.SendTextAsync("no more"));

        // Data and pings the peer sent before it saw our close are dropped; then its close completes the handshake.
        await peer.SendTextAsync("in flight");
        await peer.SendAsync(9, "ping"u8);
        await peer.SendCloseAsync(1001);
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Close, close.Kind);
        Assert.Equal(1001, close.CloseCode);
        Assert.True(close.IsLocallyInitiated);
        Assert.Null(close.Error);
        Assert.True(await peer.IsOutputEndedAsync());   // no pong, no second close
        Assert.Equal(WebSocketEngineState.Closed, engine.State);
    }

    [Fact]
    public async Task Local_close_validates_the_code_and_reason()
    {
        var (engine, _) = RawPeer.Create(WebSocketRole.Server);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.CloseOutputAsync(1005, null, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.CloseOutputAsync(999, null, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => engine.CloseOutputAsync(1000, new string('x', 124), CancellationToken.None).AsTask());
        Assert.Equal(WebSocketEngineState.Open, engine.State);
    }

    [Fact]
    public async Task Without_an_answer_the_close_timeout_aborts_the_transport_with_1006()
    {
        var clock = new FakeTimeProvider();
        var closeTimeout = TimeSpan.FromMilliseconds(200);
        var (engine, peer) = RawPeer.Create(WebSocketRole.Client, o => new WebSocketEngineOptions { Role = o.Role, CloseTimeout = closeTimeout, TimeProvider = clock });
        await engine.CloseOutputAsync(1000, null, CancellationToken.None);
        Task<WebSocketEvent> receive = engine.NextAsync();

        // The close timer fires inside Advance (FakeTimeProvider runs due timers synchronously): just before it, the
        // engine still waits for the peer's close.
        clock.Advance(closeTimeout - TimeSpan.FromTicks(1));
        Assert.Equal(WebSocketEngineState.CloseSent, engine.State);
        Assert.False(receive.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));
        WebSocketEvent close = await receive;
        Assert.Equal(1006, close.CloseCode);
        Assert.IsType<TimeoutException>(close.Error);
        Assert.Equal((ushort)1000, (await peer.ReadCloseAsync()).CloseCode);
        Assert.True(await peer.IsOutputEndedAsync());
        Assert.Equal(WebSocketEngineState.Aborted, engine.State);
    }

    [Fact]
    public async Task A_transport_that_ends_without_a_close_frame_is_reported_as_1006()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync(peer.Build(1, "half"u8, fin: false)[..5]);
        peer.CompleteOutput();
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(1006, close.CloseCode);
        Assert.IsAssignableFrom<IOException>(close.Error);
        Assert.Equal(WebSocketEngineState.Aborted, engine.State);
    }

    [Fact]
    public async Task Abort_ends_a_pending_receive_with_1006()
    {
        var (engine, _) = RawPeer.Create(WebSocketRole.Server);
        Task<WebSocketEvent> receive = engine.NextAsync();
        engine.Abort();
        WebSocketEvent close = await receive;
        Assert.Equal(1006, close.CloseCode);
        Assert.NotNull(close.Error);
    }

    [Fact]
    public async Task Data_after_the_peers_close_is_ignored()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        await peer.WriteAsync([.. peer.Build(8, RawPeer.ClosePayload(1000)), .. peer.Build(1, "ignored"u8), .. peer.Build(2, [0xFF])]);
        WebSocketEvent close = await engine.NextAsync();
        Assert.Equal(1000, close.CloseCode);
        Assert.Equal(WebSocketEventKind.Close, (await engine.NextAsync()).Kind);
        Assert.Equal((ushort)1000, (await peer.ReadCloseAsync()).CloseCode);
        Assert.True(await peer.IsOutputEndedAsync());
    }

    [Fact]
    public async Task Receive_cancellation_throws_and_a_later_receive_continues()
    {
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server);
        using var cts = new CancellationTokenSource();
        ValueTask<WebSocketEvent> pending = engine.ReceiveAsync(ReceivePolicy.Whole, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(EngineTestExtensions.Timeout));
        await peer.SendTextAsync("still open");
        Assert.Equal("still open", (await engine.NextAsync()).Text());
    }

    [Fact]
    public async Task A_slow_reader_makes_senders_wait_instead_of_buffering()
    {
        // A pipe that pauses the writer at 64 KiB: 40 messages of 16 KiB cannot all be written until the peer reads.
        var (a, b) = DuplexPipe.CreatePair(pauseThreshold: 64 * 1024);
        await using var engine = new WebSocketEngine(a, new WebSocketEngineOptions { Role = WebSocketRole.Server, MaxQueuedSendBytes = 16 * 1024 });
        byte[] payload = new byte[16 * 1024];
        var sends = Enumerable.Range(0, 40).Select(_ => engine.SendAsync(WebSocketMessageKind.Binary, payload, true, CancellationToken.None).AsTask()).ToArray();
        // 640 KiB cannot pass a pipe that pauses at 64 KiB while nobody reads: no waiting is needed to see senders wait.
        await Task.Yield();
        Assert.Contains(sends, s => !s.IsCompleted);
        var peer = new RawPeer(b, masks: true);
        for (int i = 0; i < 40; i++)
        {
            RawFrame? frame = await peer.ReadFrameAsync();
            Assert.Equal(16 * 1024, frame!.Payload.Length);
        }

        await Task.WhenAll(sends).WaitAsync(EngineTestExtensions.Timeout);
    }
}
