using Annotated.WebSockets.Client;
using Annotated.WebSockets.Runtime.Tests.Client;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>
/// Idle timeouts longer than any timer takes (Jakarta's <c>setMaxIdleTimeout(long)</c> above 2^32 ms, about 49.7 days):
/// they are checked on the heartbeat only, so both containers take them and their sessions stay open.
/// </summary>
public sealed class LongIdleTimeoutTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Idle_timeouts_beyond_49_7_days_keep_server_and_client_sessions_open()
    {
        var clock = FakeClock.Create();
        var opened = new TaskCompletionSource<WebSocketSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new ScriptedEndpoint
        {
            OnOpen = session =>
            {
                opened.TrySetResult(session);
                return default;
            },
        };
        await using var host = await ServerTestHost.StartAsync("/idle/long", endpoint, clock, options => options.Sessions.MaxIdleTimeout = TimeSpan.FromDays(60));
        await using var container = WebSocketContainer.Create(clock);
        container.DefaultMaxSessionIdleTimeout = TimeSpan.MaxValue;
        var client = new ProgrammaticTestEndpoint();

        var session = await container.ConnectToServerAsync(client, ClientEndpointConfig.CreateBuilder().Build(), host.WebSocketUri("/idle/long")).WaitAsync(s_timeout);
        var serverSession = await opened.Task.WaitAsync(s_timeout);
        Assert.Equal(TimeSpan.MaxValue, session.MaxIdleTimeout);
        Assert.Equal(TimeSpan.FromDays(60), serverSession.MaxIdleTimeout);
        serverSession.MaxIdleTimeout = TimeSpan.FromMilliseconds(long.MaxValue / TimeSpan.TicksPerMillisecond);

        // An hour of fake time: 3,600 heartbeat ticks on each side, none of which closes anything.
        clock.Advance(TimeSpan.FromHours(1));
        Assert.True(session.IsOpen);
        Assert.True(serverSession.IsOpen);
        await session.BasicRemote.SendTextAsync("still open").WaitAsync(s_timeout);
        Assert.Equal("text:still open", await client.Events.WaitForAsync("text:still"));
    }
}
