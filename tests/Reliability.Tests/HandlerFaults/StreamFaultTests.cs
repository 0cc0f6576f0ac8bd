using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// A streamed handler (DECISIONS.md §11) that throws while its message is still arriving, and one whose peer
/// vanishes in the middle of the message: the rest of the message is dropped without stalling the receive loop,
/// the error reaches OnError, and the session goes on (or closes once with 1006 when the peer is gone).
/// </summary>
public sealed class StreamFaultTests
{
    // Larger than the 64 KiB the pipe to a streamed handler holds, so the loop would stall if nobody drained it.
    private const int PartSize = 100 * 1024;

    [Fact]
    public async Task A_streamed_handler_that_throws_mid_message_reaches_OnError_and_the_rest_is_dropped()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/stream");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/stream/{id}"))
        {
            var bound = TimeSpan.FromSeconds(10);
            await client.SendAsync(Encoding.ASCII.GetBytes("throw" + new string('a', PartSize)), WebSocketMessageType.Text, false, CancellationToken.None).WaitAsync(bound);
            await client.SendAsync(Encoding.ASCII.GetBytes(new string('b', PartSize)), WebSocketMessageType.Text, false, CancellationToken.None).WaitAsync(bound);
            await client.SendAsync(Encoding.ASCII.GetBytes(new string('c', PartSize)), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(bound);
            Assert.Equal("error:InvalidDataException", await client.ReceiveTextAsync());

            Assert.Equal("length:4", await client.EchoTextAsync("next"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal(["stream:throwing", "error:InvalidDataException", "stream:4", "close:1000"], log.Entries);
        await bystander.AssertUnaffectedAsync("hello", "length:5");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_peer_that_vanishes_mid_streamed_message_ends_the_reader_with_IOException_and_OnClose_once()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        await using (var client = await host.ConnectRawAsync($"/handler/stream/{id}"))
        {
            await client.Peer.WriteAsync(client.Peer.Build(1, Encoding.ASCII.GetBytes("hello" + new string('a', 1000)), fin: false));
            await Task.Delay(100);
            client.Socket.Shutdown(SocketShutdown.Send);
            client.Socket.Close();
        }

        Assert.Equal("close:1006", await log.SingleAsync("close:"));
        // The reader saw the connection end (IOException), which the handler let escape: OnError, then OnClose.
        Assert.Equal(["error:IOException", "close:1006"], log.Entries);
        await host.AssertNothingLeftRunningAsync();
    }
}
