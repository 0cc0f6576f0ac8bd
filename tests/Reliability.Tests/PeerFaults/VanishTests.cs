using System.Net.Sockets;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// A peer that goes away with a clean TCP FIN but no close frame (a killed tab, a client that forgets the close
/// handshake): OnClose exactly once with 1006, no OnError, the server closes its side, nothing is left running.
/// </summary>
public sealed class VanishTests
{
    [Fact]
    public async Task A_peer_that_vanishes_between_messages_gives_OnClose_1006_once()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using (var client = await host.ConnectRawAsync($"/peer/echo/{id}"))
        {
            await client.Peer.SendTextAsync("hello");
            Assert.Equal((byte?)1, (await client.Peer.ReadFrameAsync())?.Opcode);

            client.Socket.Shutdown(SocketShutdown.Send);
            client.Socket.Close();
        }

        Assert.Equal("close:1006:", await log.SingleAsync("close:"));
        Assert.Equal(0, log.Count("error:"));
        await host.AssertNothingLeftRunningAsync();
        await ResetMidFrameTests.AssertServesAsync(host);
    }

    [Theory]
    [MemberData(nameof(ResetMidFrameTests.Cuts), MemberType = typeof(ResetMidFrameTests))]
    public async Task A_peer_that_vanishes_in_the_middle_of_a_frame_gives_OnClose_1006_once(string cut)
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using (var client = await host.ConnectRawAsync($"/peer/echo/{id}"))
        {
            await log.WaitForAsync("open");
            await client.Peer.WriteAsync(ResetMidFrameTests.CutFrame(client.Peer, cut));
            client.Socket.Shutdown(SocketShutdown.Send);
            client.Socket.Close();
        }

        Assert.Equal("close:1006:", await log.SingleAsync("close:"));
        Assert.Equal(0, log.Count("error:"));
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_half_closed_peer_that_still_reads_sees_the_server_end_the_connection()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);
        await using var client = await host.ConnectRawAsync($"/peer/echo/{id}");
        await log.WaitForAsync("open");

        // FIN without a close frame, but the peer keeps its receiving half open: the server must not wait on it.
        client.Socket.Shutdown(SocketShutdown.Send);

        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)), "The server kept the half-closed connection open.");
        Assert.Equal("close:1006:", await log.SingleAsync("close:"));
        Assert.Equal(0, log.Count("error:"));
        await host.AssertNothingLeftRunningAsync();
    }
}
