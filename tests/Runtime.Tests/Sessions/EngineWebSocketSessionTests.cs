using System.Text;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

public class EngineWebSocketSessionTests
{
    [Fact]
    public async Task CloseAsync_from_outside_a_handler_returns_after_the_close_handshake()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        await endpoint.Log.WaitForAsync("open");
        var peerClose = harness.PeerReceiveAsync(WebSocketEventKind.Close);

        await harness.Session.CloseAsync(new CloseReason(CloseCode.TooBig, "TCKCloseNowWithReason")).WaitAsync(TimeSpan.FromSeconds(10));

        var received = await peerClose;
        Assert.Equal(1009, received.CloseCode);
        Assert.Equal("TCKCloseNowWithReason", received.CloseReason);
        Assert.False(harness.Session.IsOpen);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("close:1009:TCKCloseNowWithReason", endpoint.Log.Entries[^1]);
    }

    [Fact]
    public async Task OnClose_runs_exactly_once_when_closes_race()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        await endpoint.Log.WaitForAsync("open");

        var closes = Enumerable.Range(0, 8).Select(_ => Task.Run(() => harness.Session.CloseAsync())).ToList();
        await harness.Peer.CloseOutputAsync(4001, "peer", CancellationToken.None);
        await Task.WhenAll(closes).WaitAsync(TimeSpan.FromSeconds(10));
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, endpoint.Log.Count("close:"));
    }

    [Fact]
    public async Task Messages_after_a_local_close_are_not_dispatched()
    {
        var endpoint = new ScriptedEndpoint
        {
            OnText = static (session, text, _) => text == "close" ? new ValueTask(session.CloseAsync()) : default,
        };
        await using var harness = SessionHarness.Start(endpoint);

        await harness.SendTextAsync("close");
        await harness.SendTextAsync("late");
        var received = await harness.PeerReceiveAsync(WebSocketEventKind.Close);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1000, received.CloseCode);
        Assert.Equal(["open", "text:close:True", "close:1000:"], endpoint.Log.Entries);
    }

    [Fact]
    public async Task User_properties_start_as_a_copy_of_the_configuration()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint, configure: config => config.UserProperties["SEC-1"] = "one");
        await endpoint.Log.WaitForAsync("open");

        harness.Session.UserProperties["UPC-1"] = "mine";

        Assert.Equal("one", harness.Session.UserProperties["SEC-1"]);
        Assert.False(harness.Config.UserProperties.ContainsKey("UPC-1"));
        Assert.NotSame(harness.Config.UserProperties, harness.Session.UserProperties);
    }

    [Fact]
    public async Task OpenSessions_holds_the_session_from_OnOpen_until_it_closes()
    {
        var counts = new List<int>();
        var endpoint = new ScriptedEndpoint
        {
            OnOpen = session =>
            {
                counts.Add(session.OpenSessions.Count);
                return default;
            },
            OnClose = (session, _) =>
            {
                counts.Add(session.OpenSessions.Count);
                return default;
            },
        };
        await using var harness = SessionHarness.Start(endpoint);
        await endpoint.Log.WaitForAsync("open");

        await harness.Peer.CloseOutputAsync(1000, null, CancellationToken.None);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1, 0], counts);
    }

    [Fact]
    public async Task Keep_alive_pings_are_sent_at_the_configured_interval()
    {
        var endpoint = new ScriptedEndpoint();
        var settings = new SessionSettings
        {
            MaxTextMessageBufferSize = 1024,
            MaxBinaryMessageBufferSize = 1024,
            KeepAlivePingInterval = TimeSpan.FromMilliseconds(50),
        };
        var clock = FakeClock.Create();
        await using var harness = SessionHarness.Start(endpoint, settings, clock: clock);
        await endpoint.Log.WaitForAsync("open");   // registered on the heartbeat
        var received = harness.PeerReceiveAsync(WebSocketEventKind.Ping);

        // Ticks every 12.5 ms; none before the interval sends a ping.
        clock.AdvanceInSteps(settings.KeepAlivePingInterval - TimeSpan.FromTicks(1), harness.Heartbeat.Period);
        Assert.False(received.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));
        var ping = await received;

        Assert.Equal(WebSocketEventKind.Ping, ping.Kind);
        Assert.Equal(0, ping.Payload.Length);
    }

    [Fact]
    public async Task Incoming_pings_are_answered_with_the_same_payload()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);

        await harness.Peer.SendPingAsync(Encoding.ASCII.GetBytes("hi"), CancellationToken.None);
        var pong = await harness.PeerReceiveAsync(WebSocketEventKind.Pong);

        Assert.Equal(WebSocketEventKind.Pong, pong.Kind);
        Assert.Equal("hi", Encoding.ASCII.GetString(pong.Payload.Span));
    }

    [Fact]
    public async Task Idle_timeout_is_reset_by_traffic()
    {
        var endpoint = new ScriptedEndpoint { OnText = static (_, _, _) => default };
        var settings = new SessionSettings
        {
            MaxTextMessageBufferSize = 1024,
            MaxBinaryMessageBufferSize = 1024,
            IdleTimeout = TimeSpan.FromMilliseconds(1500),
        };
        var clock = FakeClock.Create();
        await using var harness = SessionHarness.Start(endpoint, settings, clock: clock);
        await endpoint.Log.WaitForAsync("open");

        // Traffic every 100 ms for 2 s keeps it open although that is longer than the timeout.
        for (var i = 0; i < 20; i++)
        {
            await harness.SendTextAsync("tick");
            await FakeClock.WaitUntilAsync(() => endpoint.Log.Count("text:") == i + 1, "the session took the message");
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(harness.Session.IsOpen);

        // The last message came 100 ms ago: idle until just before the timeout, then one heartbeat period past it.
        clock.AdvanceInSteps(settings.IdleTimeout - TimeSpan.FromMilliseconds(100) - TimeSpan.FromTicks(1), harness.Heartbeat.Period);
        Assert.True(harness.Session.IsOpen);
        var closing = harness.PeerReceiveAsync(WebSocketEventKind.Close);
        clock.Advance(harness.Heartbeat.Period);
        var close = await closing;
        Assert.Equal(1001, close.CloseCode);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("close:1006:", endpoint.Log.Entries[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50.0)]                   // past 2^32 ms (49.7 days), where a millisecond timer would overflow
    [InlineData(106_751_991.0)]          // about TimeSpan.MaxValue: Jakarta's long milliseconds in .NET
    public async Task An_idle_timeout_longer_than_any_timer_closes_only_when_it_has_passed(double days)
    {
        var endpoint = new ScriptedEndpoint();
        var idle = days >= TimeSpan.MaxValue.TotalDays - 1 ? TimeSpan.MaxValue : TimeSpan.FromDays(days);
        var clock = FakeClock.Create();
        await using var harness = SessionHarness.Start(endpoint, new SessionSettings
        {
            MaxTextMessageBufferSize = 1024,
            MaxBinaryMessageBufferSize = 1024,
            IdleTimeout = TimeSpan.FromMinutes(5),
        }, clock: clock);
        await endpoint.Log.WaitForAsync("open");
        harness.Session.MaxIdleTimeout = idle;
        var heartbeat = (IHeartbeatHandler)harness.Session;
        var lastActivity = clock.GetTimestamp();

        // The heartbeat's ticks, driven directly: one just before the timeout (or a century on), then one at it.
        var before = idle == TimeSpan.MaxValue ? TimeSpan.FromDays(36_525) : idle - TimeSpan.FromMilliseconds(1);
        heartbeat.OnHeartbeat(lastActivity + ToTimestamp(clock, before));
        Assert.True(harness.Session.IsOpen);
        Assert.Equal(idle, harness.Session.MaxIdleTimeout);
        if (idle == TimeSpan.MaxValue)
        {
            return;
        }

        var closing = harness.PeerReceiveAsync(WebSocketEventKind.Close);
        heartbeat.OnHeartbeat(clock.GetTimestamp() + ToTimestamp(clock, idle));
        Assert.Equal(1001, (await closing).CloseCode);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("close:1006:", endpoint.Log.Entries[^1], StringComparison.Ordinal);

        static long ToTimestamp(TimeProvider clock, TimeSpan span) =>
            (long)((Int128)span.Ticks * clock.TimestampFrequency / TimeSpan.TicksPerSecond);
    }

    [Fact]
    public async Task A_close_code_that_cannot_be_sent_goes_out_as_1000_and_is_reported_locally()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        await endpoint.Log.WaitForAsync("open");
        var peerClose = harness.PeerReceiveAsync(WebSocketEventKind.Close);

        await harness.Session.CloseAsync(new CloseReason(CloseCode.NoStatusReceived)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1000, (await peerClose).CloseCode);
        await harness.Run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("close:1005:", endpoint.Log.Entries[^1]);
    }
}
