using Annotated.WebSockets.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// <summary>
/// A data message must be completed within MessageReceiveTimeout of its first frame: a peer that keeps one open (with
/// pings, which keep the idle timeout away, or by trickling it) is failed with 1008 when its next bytes arrive.
/// The engine measures the limit on its TimeProvider: a fake clock makes "just within" and "just past" exact.
/// </summary>
public sealed class MessageReceiveTimeoutTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task A_message_kept_open_with_pings_past_the_limit_fails_the_connection_with_1008()
    {
        var clock = new FakeTimeProvider();
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, o => new WebSocketEngineOptions { Role = o.Role, MessageReceiveTimeout = Limit, DeliverPings = true, TimeProvider = clock });
        await peer.SendTextAsync("never", fin: false);
        await peer.SendAsync(9, "early"u8);
        Assert.Equal(WebSocketEventKind.Ping, (await engine.NextAsync()).Kind);   // within the limit: served

        clock.Advance(Limit);
        await peer.SendAsync(9, "on the limit"u8);
        Assert.Equal(WebSocketEventKind.Ping, (await engine.NextAsync()).Kind);   // exactly the limit: still served

        clock.Advance(TimeSpan.FromTicks(1));
        await peer.SendAsync(9, "late"u8);

        var closed = await engine.NextCloseAsync();
        Assert.Equal(CloseStatusCodes.PolicyViolation, closed.CloseCode);
        Assert.Equal((ushort)1008, (await peer.ReadCloseAsync()).CloseCode);
    }

    [Fact]
    public async Task Messages_completed_within_the_limit_and_a_quiet_connection_between_them_are_not_affected()
    {
        var clock = new FakeTimeProvider();
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, o => new WebSocketEngineOptions { Role = o.Role, MessageReceiveTimeout = Limit, DeliverPings = true, TimeProvider = clock });
        await peer.SendTextAsync("one");
        Assert.Equal(WebSocketEventKind.Text, (await engine.NextAsync()).Kind);

        // Time between messages is the idle timeout's business, not this limit's.
        clock.Advance(Limit * 3);
        await peer.SendTextAsync("tw", fin: false);
        await peer.SendAsync(9, ""u8);
        Assert.Equal(WebSocketEventKind.Ping, (await engine.NextAsync()).Kind);   // the first frame is in: the limit runs
        clock.Advance(Limit);
        await peer.SendAsync(0, "o"u8);
        var second = await engine.NextAsync();
        Assert.Equal(WebSocketEventKind.Text, second.Kind);
        Assert.Equal("two", System.Text.Encoding.UTF8.GetString(second.Payload.Span));
    }

    [Fact]
    public async Task Without_a_limit_a_message_may_stay_open()
    {
        var clock = new FakeTimeProvider();
        var (engine, peer) = RawPeer.Create(WebSocketRole.Server, o => new WebSocketEngineOptions { Role = o.Role, DeliverPings = true, TimeProvider = clock });
        await peer.SendTextAsync("slow ", fin: false);
        await peer.SendAsync(9, ""u8);
        Assert.Equal(WebSocketEventKind.Ping, (await engine.NextAsync()).Kind);
        clock.Advance(TimeSpan.FromHours(1));
        await peer.SendAsync(0, "but whole"u8);
        Assert.Equal("slow but whole", System.Text.Encoding.UTF8.GetString((await engine.NextAsync()).Payload.Span));
    }
}
