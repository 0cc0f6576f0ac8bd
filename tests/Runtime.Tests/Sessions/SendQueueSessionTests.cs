using Annotated.WebSockets.Runtime.Tests.Server;
using Microsoft.Extensions.Time.Testing;
using static Annotated.WebSockets.Runtime.Tests.Sessions.SendQueueHarness;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// The per-session send queue against a peer that stops reading (in-memory transport holding 1 KiB): the bound in
/// messages and in bytes, waiting senders that succeed once the peer reads again, and the timeout that fails the
/// sends and closes the session with the configured code. The timeouts run on a fake clock: the send-queue timeout
/// is checked on the heartbeat's ticks (every 75 ms for 300 ms), the close that follows is bounded by the close timeout.
/// </summary>
public class SendQueueSessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout300 = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(5);

    /// <summary>The heartbeat's period for a 300 ms send-queue timeout: a stall is caught within a period after the timeout.</summary>
    private static readonly TimeSpan Period = Timeout300 / 4;

    /// <summary>Lets the close that follows a timeout run out its own timeouts on the fake clock (at most 4 close timeouts).</summary>
    private static Task<TimeSpan> AdvanceUntilDoneAsync(FakeTimeProvider clock, Task task, TimeSpan closeTimeout) =>
        clock.AdvanceUntilAsync(task, Step, closeTimeout * 4);

    [Fact]
    public async Task The_message_bound_holds_while_the_peer_does_not_read_and_every_message_arrives_in_order_once_it_reads()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(maxMessages: 4));
        await endpoint.Log.WaitForAsync("open");

        // 602 bytes on the wire each: the first fits the 1 KiB transport, the second fills it and stays in progress.
        var sends = Enumerable.Range(0, 20).Select(i => harness.Session.AsyncRemote.SendBinaryAsync(Payload(i, 600))).ToList();
        await WaitUntilAsync(() => harness.Queue.Waiting == 15, () => $"waiting {harness.Queue.Waiting}, queued {harness.Queue.Messages}");

        Assert.Equal(4, harness.Queue.Messages);
        Assert.True(sends[0].IsCompletedSuccessfully);
        Assert.All(sends.Skip(1), send => Assert.False(send.IsCompleted));

        for (var i = 0; i < 20; i++)
        {
            var frame = await harness.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(2, frame.Opcode);
            Assert.Equal(i, BitConverter.ToInt32(frame.Payload));
        }

        await Task.WhenAll(sends).WaitAsync(Wait);
        Assert.Equal(0, harness.Queue.Messages);
        Assert.Equal(0, harness.Queue.Bytes);
        Assert.True(harness.Session.IsOpen);
    }

    [Fact]
    public async Task The_byte_bound_holds_while_the_peer_does_not_read_and_the_waiting_senders_succeed_once_it_reads()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(maxBytes: 2000));
        await endpoint.Log.WaitForAsync("open");

        var sends = Enumerable.Range(0, 20).Select(i => harness.Session.AsyncRemote.SendBinaryAsync(Payload(i, 600))).ToList();
        // One written; three (1800 bytes) hold places; a fourth would make 2400.
        await WaitUntilAsync(() => harness.Queue.Waiting == 16, () => $"waiting {harness.Queue.Waiting}, queued {harness.Queue.Messages}");

        Assert.Equal(3, harness.Queue.Messages);
        Assert.Equal(1800, harness.Queue.Bytes);

        for (var i = 0; i < 20; i++)
        {
            var frame = await harness.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.Equal(i, BitConverter.ToInt32(frame.Payload));
        }

        await Task.WhenAll(sends).WaitAsync(Wait);
        Assert.Equal(0, harness.Queue.Bytes);
    }

    [Fact]
    public async Task An_uncontended_send_completes_synchronously_and_allocates_nothing()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(), pauseThreshold: 1024 * 1024);
        await endpoint.Log.WaitForAsync("open");
        var payload = Payload(1, 100);
        var remote = harness.Session.BasicRemote;
        for (var i = 0; i < 10; i++)
        {
            await remote.SendBinaryAsync(payload);
            await remote.SendTextAsync("warm");
            await harness.Peer.ReadFrameAsync();
            await harness.Peer.ReadFrameAsync();
        }

        long allocated = 0;
        for (var i = 0; i < 50; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var binary = remote.SendBinaryAsync(payload);
            var text = remote.SendTextAsync("hello");
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(binary.IsCompletedSuccessfully);
            Assert.True(text.IsCompletedSuccessfully);
            await harness.Peer.ReadFrameAsync();
            await harness.Peer.ReadFrameAsync();
        }

#if DEBUG
        // A Debug build makes every async state machine a class, so only the Release build measures the hot path.
        Assert.True(allocated >= 0);
#else
        // Nothing per send (a one-off allocation of the runtime's own, such as tiered JIT bookkeeping, is tolerated).
        Assert.True(allocated < 1024, $"{allocated} bytes allocated by 100 uncontended sends.");
#endif
    }

    [Fact]
    public async Task A_message_larger_than_the_byte_bound_is_sent_when_nothing_else_is_queued()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = Start(endpoint, Settings(maxBytes: 1000), pauseThreshold: 64 * 1024);
        await endpoint.Log.WaitForAsync("open");

        await harness.Session.BasicRemote.SendBinaryAsync(Payload(7, 5000)).WaitAsync(Wait);

        var frame = await harness.Peer.ReadFrameAsync();
        Assert.NotNull(frame);
        Assert.Equal(5000, frame.Payload.Length);
        Assert.Equal(7, BitConverter.ToInt32(frame.Payload));
    }

    [Theory]
    [InlineData(CloseCode.ViolatedPolicy)]
    [InlineData(CloseCode.UnexpectedCondition)]
    public async Task A_peer_that_never_reads_fails_the_sends_after_the_timeout_and_the_session_closes_once_with_the_configured_code(CloseCode code)
    {
        var endpoint = new ScriptedEndpoint();
        var clock = FakeClock.Create();
        var harness = Start(endpoint, Settings(maxMessages: 4, timeout: Timeout300, code: code, closeTimeout: Timeout300), clock: clock);
        await using (harness)
        {
            await endpoint.Log.WaitForAsync("open");
            Assert.Equal(1, harness.Group.Count);

            var sends = Enumerable.Range(0, 10).Select(i => harness.Session.AsyncRemote.SendBinaryAsync(Payload(i, 600))).ToList();
            await WaitUntilAsync(() => harness.Queue.Waiting == 5, () => $"waiting {harness.Queue.Waiting}, queued {harness.Queue.Messages}");

            // Just before the timeout every blocked send still waits. At the timeout the five waiting for a place fail
            // at once; the four holding places fail when the close that follows drops the transport (close timeout).
            clock.AdvanceInSteps(Timeout300 - OneTick, Step);
            Assert.All(sends.Skip(1), send => Assert.False(send.IsCompleted));
            Assert.True(harness.Session.IsOpen);
            await clock.AdvanceUntilAsync(Task.WhenAll(sends.Skip(5)), Step, Period + OneTick);
            await AdvanceUntilDoneAsync(clock, Task.WhenAll(sends), Timeout300);

            Assert.True(sends[0].IsCompletedSuccessfully);
            foreach (var send in sends.Skip(1))
            {
                Assert.True(send.IsFaulted, $"send {sends.IndexOf(send)} is {send.Status}");
                var error = Assert.IsType<IOException>(send.Exception!.InnerException);
                Assert.IsType<TimeoutException>(error.InnerException);
                Assert.Contains(((int)code).ToString(), error.Message);
            }

            await AdvanceUntilDoneAsync(clock, harness.Run, Timeout300);
            await harness.Run.WaitAsync(Wait);
            Assert.Equal(1, endpoint.Log.Count("close:"));
            Assert.StartsWith($"close:{(int)code}:", endpoint.Log.Entries[^1]);
            Assert.Equal(0, harness.Queue.Messages);
            Assert.Equal(0, harness.Queue.Waiting);
            Assert.Equal(0, harness.Group.Count);
            Assert.False(harness.Session.IsOpen);
            await Assert.ThrowsAsync<IOException>(() => harness.Session.BasicRemote.SendTextAsync("late").WaitAsync(Wait));

            // The full transport could not take a close frame: it was dropped (1006 on the peer's side) after the
            // data it had already taken.
            var frames = 0;
            while (await harness.Peer.ReadFrameAsync() is { } frame)
            {
                Assert.Equal(2, frame.Opcode);
                frames++;
            }

            Assert.InRange(frames, 1, 2);
        }
    }

    [Fact]
    public async Task Closing_a_session_whose_transport_takes_nothing_drops_the_connection_after_the_close_timeout()
    {
        var endpoint = new ScriptedEndpoint();
        // No send-queue timeout: only the close's own bound can end this session.
        var clock = FakeClock.Create();
        var harness = Start(endpoint, Settings(timeout: Timeout.InfiniteTimeSpan, closeTimeout: Timeout300), clock: clock);
        await using (harness)
        {
            await endpoint.Log.WaitForAsync("open");
            var stuck = harness.Session.AsyncRemote.SendBinaryAsync(Payload(0, 64 * 1024));
            Assert.False(stuck.IsCompleted);   // the 1 KiB transport holds it, and with it the engine's send lock

            var closing = harness.Session.CloseAsync(new CloseReason(CloseCode.NormalClosure, "bye"));
            clock.AdvanceInSteps(Timeout300 - OneTick, Step);
            Assert.False(closing.IsCompleted);   // the close timeout has not passed: nothing gives up yet
            Assert.False(stuck.IsCompleted);

            await AdvanceUntilDoneAsync(clock, closing, Timeout300);
            await closing.WaitAsync(Wait);

            await AdvanceUntilDoneAsync(clock, harness.Run, Timeout300);
            await harness.Run.WaitAsync(Wait);
            Assert.Equal(1, endpoint.Log.Count("close:"));
            Assert.False(harness.Session.IsOpen);
            await Assert.ThrowsAnyAsync<Exception>(() => stuck.WaitAsync(Wait));
            Assert.Equal(0, harness.Group.Count);
        }
    }

    [Fact]
    public async Task The_configured_close_code_goes_on_the_wire_when_the_peer_reads_again_within_the_close_timeout()
    {
        var endpoint = new ScriptedEndpoint();
        var clock = FakeClock.Create();
        await using var harness = Start(endpoint, Settings(maxMessages: 4, timeout: Timeout300, code: CloseCode.UnexpectedCondition, closeTimeout: TimeSpan.FromSeconds(5)), clock: clock);
        await endpoint.Log.WaitForAsync("open");

        var sends = Enumerable.Range(0, 10).Select(i => harness.Session.AsyncRemote.SendBinaryAsync(Payload(i, 600))).ToList();
        var waiter = sends[^1];
        await WaitUntilAsync(() => harness.Queue.Waiting == 5, () => $"waiting {harness.Queue.Waiting}, queued {harness.Queue.Messages}");
        clock.AdvanceInSteps(Timeout300 - OneTick, Step);
        Assert.False(waiter.IsCompleted);
        await clock.AdvanceUntilAsync(waiter, Step, Period + OneTick);
        await Assert.ThrowsAsync<IOException>(() => waiter.WaitAsync(Wait));

        RawFrame? close = null;
        while (await harness.Peer.ReadFrameAsync() is { } frame)
        {
            if (frame.Opcode == 8)
            {
                close = frame;
                break;
            }
        }

        Assert.NotNull(close);
        Assert.Equal((ushort)1011, close.CloseCode);
        await harness.Peer.SendCloseAsync(1011);
        await harness.Run.WaitAsync(Wait);
        Assert.Equal(1, endpoint.Log.Count("close:"));
        Assert.StartsWith("close:1011:", endpoint.Log.Entries[^1]);
    }

    [Fact]
    public async Task A_peer_that_pings_but_never_reads_the_pongs_is_closed_after_the_timeout()
    {
        // The receive loop answers each ping; once the transport is full it waits on a pong, which is watched too.
        var endpoint = new ScriptedEndpoint();
        var clock = FakeClock.Create();
        await using var harness = Start(endpoint, Settings(timeout: Timeout300, closeTimeout: Timeout300), clock: clock);
        await endpoint.Log.WaitForAsync("open");
        var ping = harness.Peer.Build(9, new byte[100]);

        var write = harness.Peer.WriteAsync([.. Enumerable.Repeat(ping, 40).SelectMany(frame => frame)]);

        // The pong that does not fit holds a place in the queue; from then on the timeout runs.
        await WaitUntilAsync(() => harness.Queue.Messages == 1, () => $"queued {harness.Queue.Messages}");
        clock.AdvanceInSteps(Timeout300 - OneTick, Step);
        Assert.True(harness.Session.IsOpen);
        Assert.Equal(["open"], endpoint.Log.Entries);
        await AdvanceUntilDoneAsync(clock, harness.Run, Timeout300);
        await harness.Run.WaitAsync(Wait);

        Assert.Equal(["open", "close:1008:The peer did not read what was sent."], endpoint.Log.Entries);
        Assert.Equal(0, harness.Queue.Messages);
        await write.WaitAsync(Wait);   // the server's side of the connection is gone: the peer's write completes
    }

    [Fact]
    public async Task A_sender_that_keeps_waiting_on_its_own_message_is_released_by_the_timeout()
    {
        // One message at a time, as BasicRemote in a loop: the queue never fills, the transport does.
        var endpoint = new ScriptedEndpoint();
        var clock = FakeClock.Create();
        await using var harness = Start(endpoint, Settings(timeout: Timeout300, closeTimeout: Timeout300), clock: clock);
        await endpoint.Log.WaitForAsync("open");

        var sent = 0;
        var sending = Assert.ThrowsAsync<IOException>(async () =>
        {
            for (; sent < 100; sent++)
            {
                await harness.Session.BasicRemote.SendBinaryAsync(Payload(sent, 600)).WaitAsync(Wait);
            }
        });
        await WaitUntilAsync(() => Volatile.Read(ref sent) == 1 && harness.Queue.Messages == 1, () => $"sent {sent}, queued {harness.Queue.Messages}");
        clock.AdvanceInSteps(Timeout300 - OneTick, Step);
        Assert.False(sending.IsCompleted);
        await AdvanceUntilDoneAsync(clock, sending, Timeout300);   // the send in progress fails when the transport is dropped
        var error = await sending;

        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal(1, sent);
        await AdvanceUntilDoneAsync(clock, harness.Run, Timeout300);
        await harness.Run.WaitAsync(Wait);
        Assert.Equal(["open", "close:1008:The peer did not read what was sent."], endpoint.Log.Entries);
    }
}
