using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// A peer whose connection is reset (TCP RST) in the middle of a frame, as a crashed client or a middlebox would:
/// the session ends with OnClose exactly once, with 1006 (the transport died; no close handshake), OnError is not
/// called (a transport failure is not an endpoint error: catalogue WSC-5.2.3-1, the runtime logs it), nothing is left
/// running, and the server goes on serving.
/// </summary>
public sealed class ResetMidFrameTests
{
    public static TheoryData<string> Cuts => new()
    {
        "header-first-byte",
        "header-without-mask-key",
        "text-7bit-length-half-payload",
        "text-16bit-length-half-payload",
        "binary-64bit-length-half-payload",
        "continuation-half-payload",
    };

    [Theory]
    [MemberData(nameof(Cuts))]
    public async Task A_reset_in_the_middle_of_a_frame_closes_the_session_once_with_1006(string cut)
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        var client = await host.ConnectRawAsync($"/peer/echo/{id}");
        await using (client)
        {
            await log.WaitForAsync("open");
            await client.Peer.WriteAsync(CutFrame(client.Peer, cut));
            // Give the server a moment to read the partial frame, so the reset lands while it is inside the frame.
            await Task.Delay(100);
            client.Reset();
        }

        Assert.Equal("close:1006:", await log.SingleAsync("close:"));
        Assert.Equal(0, log.Count("error:"));
        await host.AssertNothingLeftRunningAsync();
        await AssertServesAsync(host);
    }

    [Fact]
    public async Task A_reset_while_a_reply_is_being_written_closes_the_session_once_with_1006()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        // A small receive window and large echoes the peer never reads: the server may be inside a send (the return
        // value of OnMessage) or have sends queued when the RST arrives.
        var client = await RawTcpClient.ConnectAsync(host.BaseAddress, $"/peer/echo/{id}", receiveBufferSize: 4096);
        await using (client)
        {
            await log.WaitForAsync("open");
            var writing = WriteUnreadEchoesAsync(client);
            await Task.Delay(500);
            client.Reset();
            await writing.WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.Equal("close:1006:", await log.SingleAsync("close:"));
        // The failed send of the echo is the handler's error (catalogue WSC-5.2.2-2: IOException from sending a
        // return value reaches OnError); nothing else is.
        Assert.True(log.Count("error:") <= 1, string.Join(" | ", log.Entries));
        Assert.All(log.Values.OfType<Exception>(), e => Assert.IsAssignableFrom<IOException>(e));
        Assert.Equal("close:1006:", log.Entries[^1]);
        await host.AssertNothingLeftRunningAsync();
        await AssertServesAsync(host);
    }

    // Eight 1 MiB echoes (more than the kernel buffers hold) and a cut frame; the writes stop when the server stops reading.
    private static async Task WriteUnreadEchoesAsync(RawTcpClient client)
    {
        try
        {
            byte[] frame = Frames.Binary(client.Peer, 1024 * 1024 - 1);
            for (int i = 0; i < 8; i++)
            {
                await client.Stream.WriteAsync(frame);
            }

            await client.Stream.WriteAsync(Frames.Text(client.Peer, 40).AsMemory(0, 20));
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The reset ended the writes.
        }
    }

    internal static byte[] CutFrame(RawPeer peer, string cut)
    {
        switch (cut)
        {
            case "header-first-byte":
                return Frames.Text(peer, 10)[..1];
            case "header-without-mask-key":
                return Frames.Text(peer, 10)[..2];
            case "text-7bit-length-half-payload":
                return Half(Frames.Text(peer, 100), 100);
            case "text-16bit-length-half-payload":
                return Half(Frames.Text(peer, 1000), 1000);
            case "binary-64bit-length-half-payload":
                return Half(Frames.Binary(peer, 70_000), 70_000);
            case "continuation-half-payload":
                byte[] first = Frames.Text(peer, 10, fin: false);
                byte[] continuation = Half(peer.Build(0, Encoding.ASCII.GetBytes(new string('y', 100))), 100);
                return [.. first, .. continuation];
            default:
                throw new ArgumentOutOfRangeException(nameof(cut), cut, "Unknown cut.");
        }
    }

    private static byte[] Half(byte[] frame, int payloadLength) => frame[..(Frames.HeaderLength(payloadLength) + (payloadLength / 2))];

    internal static async Task AssertServesAsync(FaultHost host)
    {
        var id = FaultLog.NewId();
        using var fresh = await host.ConnectAsync($"/peer/echo/{id}");
        Assert.Equal("still here", await fresh.EchoTextAsync("still here"));
        await fresh.CloseNormallyAsync();
        Assert.Equal("close:1000:bye", await FaultLog.For(id).SingleAsync("close:"));
    }
}
