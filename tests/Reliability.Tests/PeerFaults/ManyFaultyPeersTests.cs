using System.Net.WebSockets;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// Many faulty peers at once, interleaved with well-behaved ones: 50 connections reset in the middle of a frame
/// (and 10 that vanish with a FIN) while 20 echo sessions keep talking. Every well-behaved session keeps working
/// and closes normally, every faulty one gets OnClose exactly once with 1006, and the counts return to zero.
/// </summary>
public sealed class ManyFaultyPeersTests
{
    private const int Resetters = 50;
    private const int Vanishers = 10;
    private const int EchoSessions = 20;
    private const int EchoRounds = 10;

    [Fact]
    public async Task Faulty_peers_do_not_disturb_well_behaved_sessions_and_each_closes_once()
    {
        await using var host = await FaultHost.StartAsync();

        var goodIds = Enumerable.Range(0, EchoSessions).Select(_ => FaultLog.NewId()).ToArray();
        var good = await Task.WhenAll(goodIds.Select(id => host.ConnectAsync($"/peer/echo/{id}"))).WaitAsync(TimeSpan.FromSeconds(20));
        try
        {
            var faultyIds = Enumerable.Range(0, Resetters + Vanishers).Select(_ => FaultLog.NewId()).ToArray();
            var faults = faultyIds.Select((id, i) => MisbehaveAsync(host, id, vanish: i >= Resetters));
            var echoes = good.Select((socket, i) => EchoManyAsync(socket, goodIds[i]));
            await Task.WhenAll(faults.Concat(echoes)).WaitAsync(TimeSpan.FromSeconds(40));

            foreach (var id in faultyIds)
            {
                var log = FaultLog.For(id);
                Assert.Equal("close:1006:", await log.WaitForAsync("close:"));
            }

            await Task.Delay(100);
            foreach (var id in faultyIds)
            {
                var log = FaultLog.For(id);
                Assert.True(log.Count("close:") == 1 && log.Count("error:") == 0, $"Faulty session {id}: {string.Join(" | ", log.Entries)}");
            }

            // The well-behaved sessions are still open and still answer after every faulty one has gone.
            Assert.Equal(EchoSessions, host.OpenSessions);
            foreach (var socket in good)
            {
                Assert.Equal("after", await socket.EchoTextAsync("after"));
                await socket.CloseNormallyAsync();
            }
        }
        finally
        {
            foreach (var socket in good)
            {
                socket.Dispose();
            }
        }

        foreach (var id in goodIds)
        {
            var log = FaultLog.For(id);
            Assert.Equal("close:1000:bye", await log.SingleAsync("close:"));
            Assert.Equal(0, log.Count("error:"));
            Assert.Equal(EchoRounds + 1, log.Count("text:"));
        }

        await host.AssertNothingLeftRunningAsync();
    }

    private static async Task MisbehaveAsync(FaultHost host, string id, bool vanish)
    {
        var client = await host.ConnectRawAsync($"/peer/echo/{id}");
        await using (client)
        {
            await FaultLog.For(id).WaitForAsync("open");
            await client.Peer.WriteAsync(ResetMidFrameTests.CutFrame(client.Peer, "text-16bit-length-half-payload"));
            await Task.Delay(20);
            if (vanish)
            {
                client.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
                client.Socket.Close();
            }
            else
            {
                client.Reset();
            }
        }
    }

    private static async Task EchoManyAsync(ClientWebSocket socket, string id)
    {
        for (int round = 0; round < EchoRounds; round++)
        {
            string text = $"{id}:{round}";
            Assert.Equal(text, await socket.EchoTextAsync(text));
            await Task.Yield();
        }
    }
}
