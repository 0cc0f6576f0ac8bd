using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using Xunit.Abstractions;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// <see cref="WebSocketGroups"/> over real Kestrel on loopback with real clients (the <c>/it/rooms/{room}</c>
/// endpoint): who a broadcast reaches, what leaving does, user sends, and a member that stops reading.
/// </summary>
public class RoomsTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Non-ASCII on purpose: 2-, 3- and 4-byte UTF-8 sequences (a surrogate pair in .NET).
    private const string Greeting = "héllo — 日本語 🎉 ok";

    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_broadcast_reaches_the_others_in_the_room_once_and_after_a_leave_only_those_left()
    {
        string roomA = Recorder.NewTestId(), roomB = Recorder.NewTestId();
        using var a1 = await JoinAsync(_host, roomA, expectedMembers: 1);
        using var a2 = await JoinAsync(_host, roomA, expectedMembers: 2, a1);
        using var a3 = await JoinAsync(_host, roomA, expectedMembers: 3, a1, a2);
        using var b1 = await JoinAsync(_host, roomB, expectedMembers: 1);

        await a1.SendTextAsync(Greeting);

        // Byte for byte what a1 sent, to a2 and a3.
        Assert.Equal(Encoding.UTF8.GetBytes(Greeting), await ReceiveTextBytesAsync(a2));
        Assert.Equal(Encoding.UTF8.GetBytes(Greeting), await ReceiveTextBytesAsync(a3));

        // Exactly once, and not to its sender: a copy would have been queued before anything sent after it, so the
        // next message each gets is the marker (a1, a3) or the answer to "count" (a2).
        await a2.SendTextAsync("marker");
        Assert.Equal("marker", await a1.ReceiveTextAsync());
        Assert.Equal("marker", await a3.ReceiveTextAsync());
        await a2.SendTextAsync("count");
        Assert.Equal("3", await a2.ReceiveTextAsync());

        // Not to another room: b1's next message is its own answer.
        await b1.SendTextAsync("count");
        Assert.Equal("1", await b1.ReceiveTextAsync());

        // a2 leaves: the room hears of it from OnClose, where the count already excludes a2.
        await a2.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("left:2", await a1.ReceiveTextAsync());
        Assert.Equal("left:2", await a3.ReceiveTextAsync());

        const string Second = "second — ünïcödé ✓";
        await a1.SendTextAsync(Second);
        Assert.Equal(Encoding.UTF8.GetBytes(Second), await ReceiveTextBytesAsync(a3));
        await a1.SendTextAsync("count");
        Assert.Equal("2", await a1.ReceiveTextAsync());
        Assert.Equal(2, _host.App.Services.GetRequiredService<WebSocketGroups>().CountLocal(roomA));

        await b1.SendTextAsync("count");
        Assert.Equal("1", await b1.ReceiveTextAsync());
    }

    [Fact]
    public async Task SendToUserAsync_reaches_every_session_of_that_user_and_no_one_else()
    {
        // The test scheme signs in whoever X-User names, with a Name claim only; the user id comes from that name.
        await using var host = await KestrelHost.StartAsync(
            services: services =>
            {
                services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                services.AddSingleton<IWebSocketUserIdProvider, NameUserIdProvider>();
            },
            map: app => app.UseAuthentication());
        string roomA = Recorder.NewTestId(), roomB = Recorder.NewTestId();
        using var alice1 = await JoinAsync(host, roomA, expectedMembers: 1, user: "alice");
        using var bob = await JoinAsync(host, roomA, expectedMembers: 2, user: "bob", alice1);
        using var alice2 = await JoinAsync(host, roomB, expectedMembers: 1, user: "alice");
        using var anonymous = await JoinAsync(host, roomB, expectedMembers: 2, user: null, alice2);

        var result = await host.App.Services.GetRequiredService<WebSocketGroups>().SendToUserAsync("alice", PreparedMessage.FromText(Greeting));

        Assert.Equal(new BroadcastResult(2, 0, 0), result);
        Assert.Equal(Encoding.UTF8.GetBytes(Greeting), await ReceiveTextBytesAsync(alice1));
        Assert.Equal(Encoding.UTF8.GetBytes(Greeting), await ReceiveTextBytesAsync(alice2));
        await bob.SendTextAsync("count");
        Assert.Equal("2", await bob.ReceiveTextAsync());
        await anonymous.SendTextAsync("count");
        Assert.Equal("2", await anonymous.ReceiveTextAsync());
    }

    [Fact]
    public async Task With_Drop_a_member_that_reads_nothing_holds_up_no_one_and_misses_messages_instead()
    {
        const int Count = 200, Size = 4096, Window = 4;
        await using var host = await KestrelHost.StartAsync(options =>
        {
            options.Groups.OverflowPolicy = GroupOverflowPolicy.Drop;
            options.Sessions.MaxQueuedSendMessages = 8;
            options.Sessions.MaxQueuedSendBytes = 32 * 1024;
            options.Sessions.SendQueueTimeout = TimeSpan.FromMinutes(2); // not closed for stalling while the test runs
        },
        services: services => services.Configure<SocketTransportOptions>(transport => transport.CreateBoundListenSocket = endpoint =>
        {
            // Loopback buffers would absorb the whole flood (≈4 MiB with autotuning): a fixed small send buffer,
            // inherited by the accepted sockets, makes the stalled connection push back after some KiB.
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 8 * 1024;
            return socket;
        }));
        var groups = host.App.Services.GetRequiredService<WebSocketGroups>();
        var room = Recorder.NewTestId();
        using var reader = await JoinAsync(host, room, expectedMembers: 1);

        // Completes the handshake, then never reads (a small kernel receive buffer so it pushes back soon); that it
        // joined is seen by the reader, which is told it arrived.
        await using var stalled = await RawTcpClient.ConnectAsync(host.BaseAddress, $"/it/rooms/{room}", receiveBufferSize: 4096);
        Assert.Equal("arrived", await reader.ReceiveTextAsync());

        // The reader keeps at most Window messages unread, under its queue's limits, so none is dropped for it;
        // the broadcast never waits for the stalled member, whose queue fills and then drops.
        var results = new List<BroadcastResult>(Count);
        var received = 0;
        for (var i = 0; i < Count; i++)
        {
            results.Add(await groups.SendToGroupAsync(room, PreparedMessage.FromText(Payload(i, Size))).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            if (i >= Window)
            {
                Assert.Equal(Encoding.UTF8.GetBytes(Payload(received, Size)), await ReceiveTextBytesAsync(reader));
                received++;
            }
        }

        for (; received < Count; received++)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(Payload(received, Size)), await ReceiveTextBytesAsync(reader));
        }

        Assert.All(results, result => Assert.Equal(2, result.Recipients));
        Assert.All(results, result => Assert.Equal(0, result.Closed));
        var dropped = results.Sum(result => result.Dropped);
        output.WriteLine($"The stalled member had {Count - dropped} of {Count} messages queued and {dropped} dropped.");
        Assert.True(dropped > 0, "The stalled member should have had messages dropped.");
        Assert.Equal(Count, results.Sum(result => result.Queued) - (Count - dropped));

        // The stalled member is still a member (Drop does not close it), and has read nothing.
        Assert.Equal(2, groups.CountLocal(room));
        await reader.SendTextAsync("count");
        Assert.Equal("2", await reader.ReceiveTextAsync());

        // Now it reads: "joined", then what was queued for it, at most once and in order.
        var frame = await stalled.Peer.ReadFrameAsync();
        Assert.Equal("joined:2", Encoding.UTF8.GetString(frame!.Payload));
        var last = -1;
        for (var k = 0; k < Count - dropped; k++)
        {
            frame = await stalled.Peer.ReadFrameAsync();
            Assert.NotNull(frame);
            Assert.True(frame.Fin && frame.Opcode == 1, $"Expected one whole text frame, got opcode {frame.Opcode}, fin {frame.Fin}.");
            var index = int.Parse(Encoding.UTF8.GetString(frame.Payload, 0, 3), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(index > last, $"Message {index} came after {last}.");
            Assert.Equal(Encoding.UTF8.GetBytes(Payload(index, Size)), frame.Payload);
            last = index;
        }

        stalled.Reset();
    }

    // "iii|" then 'é' up to exactly size UTF-8 bytes.
    private static string Payload(int index, int size) =>
        index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "|" + new string('é', (size - 4) / 2);

    // Connects to the room, waits for its "joined:{n}" and for each earlier member's "arrived".
    private static Task<ClientWebSocket> JoinAsync(KestrelHost host, string room, int expectedMembers, params ClientWebSocket[] others) =>
        JoinAsync(host, room, expectedMembers, user: null, others);

    private static async Task<ClientWebSocket> JoinAsync(KestrelHost host, string room, int expectedMembers, string? user, params ClientWebSocket[] others)
    {
        var client = await host.ConnectAsync($"/it/rooms/{room}", options =>
        {
            if (user is not null)
            {
                options.SetRequestHeader("X-User", user);
            }
        });
        Assert.Equal($"joined:{expectedMembers}", await client.ReceiveTextAsync());
        foreach (var other in others)
        {
            Assert.Equal("arrived", await other.ReceiveTextAsync());
        }

        return client;
    }

    private static async Task<byte[]> ReceiveTextBytesAsync(WebSocket socket)
    {
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return data;
    }

    private sealed class NameUserIdProvider : IWebSocketUserIdProvider
    {
        public string? GetUserId(WebSocketSession session) => session.User?.Identity?.IsAuthenticated == true ? session.User.FindFirst(ClaimTypes.Name)?.Value : null;
    }
}
