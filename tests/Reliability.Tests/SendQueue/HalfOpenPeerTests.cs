using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Annotated.WebSockets.Reliability.Tests.SendQueue;

/// <summary>
/// A half-open peer over real TCP: it completes the handshake, then never reads (small kernel receive buffer), while
/// the endpoint sends in a loop. The per-session send queue must hold its bound, the sends must fail once the
/// configured timeout passes, the session must close exactly once with the configured code, and nothing may be left
/// open or running; another session on the same server keeps working.
/// </summary>
public sealed class HalfOpenPeerTests(ITestOutputHelper output)
{
    private const int MessageSize = 16 * 1024;
    private const int Attempts = 4000;                 // 64 MiB if nothing held the flood back
    private const int MaxQueuedMessages = 8;
    private const long MaxQueuedBytes = 256 * 1024;
    private const long KernelAndTransportBytes = 8 * 1024 * 1024;   // far above what loopback buffers take (≈4 MiB)
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_send_queue_bound_holds_the_sends_fail_after_the_timeout_and_the_session_closes_once_with_the_configured_code(bool awaitEachSend)
    {
        var inFlight = new int[1];
        var clock = FakeClock.Create();
        var sendQueueTimeout = TimeSpan.FromSeconds(1);
        var closeTimeout = TimeSpan.FromSeconds(1);
        var heartbeatPeriod = sendQueueTimeout / 4;
        var step = TimeSpan.FromMilliseconds(10);
        await using var host = await KestrelHost.StartAsync(
            options =>
            {
                options.Sessions.MaxQueuedSendMessages = MaxQueuedMessages;
                options.Sessions.MaxQueuedSendBytes = MaxQueuedBytes;
                options.Sessions.SendQueueTimeout = sendQueueTimeout;
                options.Sessions.SendQueueTimeoutCloseCode = CloseCode.UnexpectedCondition;
                options.Sessions.CloseTimeout = closeTimeout;
            },
            map: app => app.Use(async (context, next) =>
            {
                // Wraps every request: an upgraded one ends only when its session, OnClose and DI scope are done.
                Interlocked.Increment(ref inFlight[0]);
                try
                {
                    await next(context);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight[0]);
                }
            }),
            services: services => services.AddSingleton<TimeProvider>(clock));
        var tracker = host.App.Services.GetRequiredService<ServerSessionTracker>();
        var id = Guid.NewGuid().ToString("N");
        var record = new SendQueueFloodRecord(awaitEachSend, Attempts, MessageSize);
        SendQueueFloodEndpoint.Records[id] = record;

        using var bystander = await host.ConnectAsync("/sendqueue/echo");
        await using (var peer = await RawTcpClient.ConnectAsync(host.BaseAddress, $"/sendqueue/flood/{id}", receiveBufferSize: 4096))
        {
            // The fake time stands still while the flood fills the buffers: the transport's last progress is now.
            await WaitUntilFloodStallsAsync(record);

            // Just before the send-queue timeout nothing failed and the session is open; the heartbeat (every quarter
            // of the timeout) reports the stall within a period after it.
            clock.AdvanceInSteps(sendQueueTimeout - TimeSpan.FromTicks(1), step);
            await Task.WhenAny(record.Done, record.ClosedTask, Task.Delay(50));
            Assert.True(record.SessionIsOpen, "The session started closing before the send-queue timeout.");
            Assert.Empty(record.Errors);
            Assert.False(record.Done.IsCompleted);
            clock.Advance(TimeSpan.FromTicks(1));
            var late = TimeSpan.Zero;
            while (record.SessionIsOpen)
            {
                Assert.True(late < heartbeatPeriod, $"Still open {late} after the send-queue timeout.");
                clock.Advance(step);
                late += step;
            }

            // The close frame cannot go out (the peer reads nothing): OnClose comes with the close timeout.
            clock.AdvanceInSteps(closeTimeout - TimeSpan.FromTicks(1), step);
            await Task.WhenAny(record.ClosedTask, Task.Delay(50));
            Assert.False(record.ClosedTask.IsCompleted, "OnClose ran before the close timeout.");
            await clock.AdvanceUntilAsync(Task.WhenAll(record.Done, record.ClosedTask), step, heartbeatPeriod + TimeSpan.FromTicks(1));
            await record.Done.WaitAsync(Bound);
            await record.ClosedTask.WaitAsync(Bound);
        }

        output.WriteLine($"completed {record.Completed} of {record.Issued}; queue peaked at {record.MaxQueuedMessages} messages, {record.MaxQueuedBytes} bytes; sends over after {record.DoneAfter}, OnClose after {record.ClosedAfter}");

        // The sends the server completed are those the kernel and Kestrel buffers absorbed; the rest failed.
        Assert.True(record.Completed < record.Issued, $"{record.Completed} of {record.Issued} sends completed.");
        Assert.True(
            (long)record.Completed * MessageSize <= KernelAndTransportBytes + MaxQueuedBytes,
            $"{record.Completed} sends of {MessageSize} bytes completed against a peer that reads nothing.");
        Assert.Equal(record.Issued - record.Completed, record.Errors.Count);
        Assert.All(record.Errors, error => Assert.IsAssignableFrom<IOException>(error));
        Assert.Contains(record.Errors, error => error.InnerException is TimeoutException);

        // What the session held stayed within the bound however many senders called in.
        Assert.InRange(record.MaxQueuedMessages, 1, MaxQueuedMessages);
        Assert.InRange(record.MaxQueuedBytes, 1, MaxQueuedBytes);

        await WaitUntilAsync(() => tracker.Count == 1 && Volatile.Read(ref inFlight[0]) == 1, () => $"{tracker.Count} open session(s), {inFlight[0]} running request(s)");
        var close = Assert.Single(record.Closes);
        Assert.Equal(CloseCode.UnexpectedCondition, close.Code);

        // The bystander never noticed.
        await bystander.SendAsync(Encoding.UTF8.GetBytes("still here"), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Bound);
        var buffer = new byte[64];
        var received = await bystander.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal("still here", Encoding.UTF8.GetString(buffer, 0, received.Count));
        await bystander.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Bound);
        await WaitUntilAsync(() => tracker.Count == 0 && Volatile.Read(ref inFlight[0]) == 0, () => $"{tracker.Count} open session(s), {inFlight[0]} running request(s)");
        Assert.Single(record.Closes);
        SendQueueFloodEndpoint.Records.TryRemove(id, out _);
    }

    // Waits (real time) until the flood makes no more progress: with the fake clock standing still, nothing fails
    // it, so a send that stopped completing stays stuck.
    private static async Task WaitUntilFloodStallsAsync(SendQueueFloodRecord record)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var last = (-1, -1);
        var since = DateTime.UtcNow;
        while (true)
        {
            var now = (record.Issued, record.Completed);
            if (now != last || now.Issued == 0)
            {
                last = now;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since > TimeSpan.FromMilliseconds(500))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The flood never stalled: {now.Completed} of {now.Issued} sends completed.");
            await Task.Delay(10);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Still waiting after 10 s: " + describe());
            await Task.Delay(20);
        }
    }
}
