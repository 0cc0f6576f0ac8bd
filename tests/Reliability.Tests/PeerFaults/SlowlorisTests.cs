using System.Net.Sockets;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// Slowloris on frames: a peer that trickles one byte of a frame every 200 ms and never finishes it, holding a
/// connection (and its receive buffers) open at almost no cost to itself.
/// <para>
/// The defence that exists is the session idle timeout (<see cref="WebSocketSessionOptions.MaxIdleTimeout"/>,
/// 5 minutes by default): it counts from the last complete frame received or sent, so a peer that never
/// finishes its frame is idle however many bytes it sends. The server sends 1001 "Idle timeout",
/// the trickler does not answer, and the close timeout then drops the connection; OnClose sees 1006 and a reason
/// naming the timeout (DECISIONS.md §20). An endpoint that takes text in parts or as a stream is handed the
/// trickled bytes as they come, but they are not a complete frame, so it is closed the same way.
/// </para>
/// <para>
/// A peer that keeps a message open and pings (pings are activity, so the idle timeout never comes) or trickles a
/// message frame by frame meets <see cref="WebSocketSessionOptions.MessageReceiveTimeout"/> (5 minutes by
/// default): the message must be complete that long after its first frame, or the connection fails with 1008 when
/// the next bytes arrive.
/// </para>
/// </summary>
public sealed class SlowlorisTests
{
    private static readonly TimeSpan TrickleInterval = TimeSpan.FromMilliseconds(200);

    [Theory]
    [InlineData("payload")]
    [InlineData("header")]
    public async Task A_peer_trickling_a_frame_is_closed_by_the_idle_timeout(string where)
    {
        await using var host = await FaultHost.StartAsync(options =>
        {
            options.Sessions.MaxIdleTimeout = TimeSpan.FromSeconds(1);
            options.Sessions.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using var client = await host.ConnectRawAsync($"/peer/echo/{id}");
        await log.WaitForAsync("open");

        // A 70,000-byte binary frame: a 14-byte header, then the payload; the last byte is never sent.
        byte[] frame = Frames.Binary(client.Peer, 70_000);
        int start = where == "header" ? 0 : Frames.HeaderLength(70_000);
        if (start > 0)
        {
            await client.Peer.WriteAsync(frame[..start]);
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var trickle = TrickleAsync(client, frame.AsMemory(start, frame.Length - start - 1), stop.Token);

        var close = await client.Peer.ReadCloseAsync();
        Assert.Equal((ushort)1001, close.CloseCode);
        Assert.Equal("Idle timeout", close.CloseReason);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "The server kept the trickling connection open after its close timeout.");
        await stop.CancelAsync();
        await trickle.WaitAsync(TimeSpan.FromSeconds(10));

        var closed = await log.SingleAsync("close:");
        Assert.StartsWith("close:1006:", closed, StringComparison.Ordinal);
        Assert.Contains("idle", closed, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, log.Count("error:"));
        Assert.Equal(0, log.Count("text:"));
        await host.AssertNothingLeftRunningAsync();
    }

    [Theory]
    [InlineData("/peer/partial")]
    [InlineData("/handler/stream")]
    public async Task A_peer_trickling_a_frame_to_an_endpoint_that_takes_parts_or_streams_is_closed_by_the_idle_timeout(string path)
    {
        await using var host = await FaultHost.StartAsync(options =>
        {
            options.Sessions.MaxIdleTimeout = TimeSpan.FromSeconds(1);
            options.Sessions.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using var client = await RawTcpClient.ConnectAsync(host.BaseAddress, $"{path}/{id}");

        // A 100-byte text frame whose payload arrives one byte every 200 ms, never finished (20 s at most).
        byte[] frame = Frames.Text(client.Peer, 100);
        int header = Frames.HeaderLength(100);
        await client.Peer.WriteAsync(frame[..header]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var trickle = TrickleAsync(client, frame.AsMemory(header, 99), stop.Token);

        var close = await client.Peer.ReadCloseAsync();
        await stop.CancelAsync();
        await trickle.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((ushort)1001, close.CloseCode);
        Assert.StartsWith("close:1006", await log.SingleAsync("close:"), StringComparison.Ordinal);
        if (path == "/peer/partial")
        {
            // The trickled bytes did reach the handler (as parts); they just did not count as activity.
            Assert.True(log.Count("part:1:False") > 0, string.Join(" | ", log.Entries));
        }
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_peer_keeping_a_message_open_with_pings_is_closed_with_1008_by_the_message_receive_timeout()
    {
        await using var host = await FaultHost.StartAsync(options =>
        {
            options.Sessions.MaxIdleTimeout = TimeSpan.FromSeconds(30);
            options.Sessions.MessageReceiveTimeout = TimeSpan.FromSeconds(1);
            options.Sessions.CloseTimeout = TimeSpan.FromSeconds(1);
        });
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using var client = await host.ConnectRawAsync($"/peer/echo/{id}");
        await log.WaitForAsync("open");

        // The first fragment of a text message, then a ping every 200 ms and never the rest (20 s at most).
        await client.Peer.SendTextAsync("never finished", fin: false);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var pings = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await client.Peer.SendAsync(9, "alive"u8.ToArray());
                    await Task.Delay(TrickleInterval, stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidOperationException)
            {
                // Stopped, or the server dropped the connection.
            }
        });

        RawFrame? frame;
        do
        {
            frame = await client.Peer.ReadFrameAsync();
        }
        while (frame is { Opcode: 10 });   // the pongs

        Assert.NotNull(frame);
        Assert.Equal((ushort)1008, frame.CloseCode);
        await stop.CancelAsync();
        await pings.WaitAsync(TimeSpan.FromSeconds(10));

        var closed = await log.SingleAsync("close:");
        Assert.StartsWith("close:1008:", closed, StringComparison.Ordinal);
        Assert.Equal(0, log.Count("text:"));
        await host.AssertNothingLeftRunningAsync();
    }

    /// <summary>Writes one byte per interval until the bytes run out, the server drops the connection, or the token fires.</summary>
    internal static async Task TrickleAsync(RawTcpClient client, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                await client.Stream.WriteAsync(bytes.Slice(i, 1), cancellationToken);
                await Task.Delay(TrickleInterval, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the server dropped the connection: the trickle is over either way.
        }
    }
}
