using System.Net.WebSockets;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Reliability.Tests.PeerFaults;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Reliability.Tests.Shutdown;

/// <summary>
/// Stopping the host with sessions open: every session is closed with 1001, running handlers get the drain time,
/// every close handler runs exactly once before <c>StopAsync</c> returns, and a handler that never returns cannot
/// hold the stop.
/// </summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Fact]
    public async Task Stop_closes_every_session_with_1001_after_letting_a_busy_handler_finish()
    {
        var id = ShutdownLog.NewId();
        var log = ShutdownLog.For(id);
        await using var host = await KestrelHost.StartAsync(options => options.ShutdownDrainTimeout = TimeSpan.FromSeconds(10));
        var clients = await ConnectAsync(host, id, 3);
        var closes = clients.Select(client => client.ReceiveCloseAsync()).ToArray();

        await clients[0].SendTextAsync("busy");
        await log.WaitForAsync("0:busy-start");
        await host.App.StopAsync().WaitAsync(Bound);

        // Checked as soon as StopAsync returns: the drain waited for the handler and for every close handler.
        var entries = log.Entries;
        Assert.Contains("0:busy-done", entries);
        for (var n = 0; n < clients.Length; n++)
        {
            Assert.Equal([$"{n}:close:1001"], entries.Where(e => e.StartsWith($"{n}:close:", StringComparison.Ordinal)));
        }

        Assert.True(
            IndexOf(entries, "0:busy-done") < IndexOf(entries, "0:close:1001"),
            $"The close handler ran before the busy handler finished: {string.Join(" | ", entries)}");
        foreach (var close in closes)
        {
            var (status, _) = await close.WaitAsync(Bound);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        }

        Dispose(clients);
    }

    [Fact]
    public async Task A_handler_that_never_returns_does_not_hold_the_stop_and_its_close_handler_still_runs_once()
    {
        var id = ShutdownLog.NewId();
        var log = ShutdownLog.For(id);
        // The host's own timeout (30 s of real time by default) is far above the bound below: only the drain can meet it.
        var clock = FakeClock.Create();
        var logs = new CapturedLogs();
        var drain = TimeSpan.FromSeconds(1);
        await using var host = await StartWithClockAsync(clock, logs, options => options.ShutdownDrainTimeout = drain);
        var clients = await ConnectAsync(host, id, 2);
        var closes = clients.Select(client => client.ReceiveCloseAsync()).ToArray();

        await clients[0].SendTextAsync("stuck");
        await log.WaitForAsync("0:stuck-start");
        var stop = host.App.StopAsync();
        // The 1001 closes went out, and the drain time (armed with them) counts from now.
        await log.WaitForAsync("1:close:");
        await DrainTimesOutAsync(clock, stop, logs, log, drain);
        await stop.WaitAsync(TimeSpan.FromSeconds(15));

        var entries = log.Entries;
        Assert.DoesNotContain("0:stuck-done", entries);
        Assert.Equal(["0:close:1001"], entries.Where(e => e.StartsWith("0:close:", StringComparison.Ordinal)));
        Assert.Equal(["1:close:1001"], entries.Where(e => e.StartsWith("1:close:", StringComparison.Ordinal)));

        // The stuck session's peer got the 1001 close frame before its connection was dropped.
        var (stuckStatus, _) = await closes[0].WaitAsync(Bound);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, stuckStatus);
        var (idleStatus, _) = await closes[1].WaitAsync(Bound);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, idleStatus);
        Dispose(clients);
    }

    [Fact]
    public async Task The_drain_is_cut_to_fit_the_hosts_shutdown_timeout()
    {
        var id = ShutdownLog.NewId();
        var log = ShutdownLog.For(id);
        // A drain time far above the host's shutdown timeout: the stop must still end within the host's timeout. The
        // host's timeout runs on real time (its own clock); the drain, cut to fit it, on the fake one. 5 s leaves the
        // drain (3 s) and the grace after it under the default close timeout (5 s), as 3 s did on real time.
        var clock = FakeClock.Create();
        var logs = new CapturedLogs();
        var hostTimeout = TimeSpan.FromSeconds(5);
        await using var host = await StartWithClockAsync(
            clock,
            logs,
            options => options.ShutdownDrainTimeout = TimeSpan.FromMinutes(5),
            builder => builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = hostTimeout));
        var clients = await ConnectAsync(host, id, 1);
        var close = clients[0].ReceiveCloseAsync();

        await clients[0].SendTextAsync("stuck");
        await log.WaitForAsync("0:stuck-start");
        var stop = host.App.StopAsync();
        var (status, _) = await close.WaitAsync(Bound);
        await DrainTimesOutAsync(clock, stop, logs, log, hostTimeout - (ServerSessionTracker.AbortGrace * 2));
        await stop.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(["0:close:1001"], log.Entries.Where(e => e.StartsWith("0:close:", StringComparison.Ordinal)));
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Dispose(clients);
    }

    [Fact]
    public async Task A_session_that_opens_while_the_server_drains_is_closed_at_once()
    {
        var id = ShutdownLog.NewId();
        var log = ShutdownLog.For(id);
        var clock = FakeClock.Create();
        var logs = new CapturedLogs();
        var drain = TimeSpan.FromSeconds(5);
        await using var host = await StartWithClockAsync(clock, logs, options => options.ShutdownDrainTimeout = drain);
        var clients = await ConnectAsync(host, id, 1);
        var firstClose = clients[0].ReceiveCloseAsync();
        await clients[0].SendTextAsync("stuck");
        await log.WaitForAsync("0:stuck-start");

        // The drain runs before the host's ApplicationStopping and the web server's stop: the 1001 close to the
        // first client says it has begun, and while the stuck handler holds it, Kestrel still accepts connections.
        var stop = host.App.StopAsync();
        var (firstStatus, _) = await firstClose.WaitAsync(Bound);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, firstStatus);
        Assert.False(host.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);

        // The late client is upgraded, then closed at once.
        using var late = await host.ConnectAsync($"/shutdown/worker?id={id}&n=1");
        var (lateStatus, _) = await late.ReceiveCloseAsync().WaitAsync(Bound);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, lateStatus);
        Assert.Equal("1:close:1001", await log.WaitForAsync("1:close:"));
        Assert.False(stop.IsCompleted, "The stop ended before the late session was served; the test proves nothing.");

        await DrainTimesOutAsync(clock, stop, logs, log, drain);
        await stop.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(["0:close:1001"], log.Entries.Where(e => e.StartsWith("0:close:", StringComparison.Ordinal)));
        Dispose(clients);
    }

    // A host whose runtime (the tracker's drain, abort grace and close-handler wait among the rest) times out on the
    // fake clock, with the runtime's log captured.
    private static Task<KestrelHost> StartWithClockAsync(
        FakeTimeProvider clock,
        CapturedLogs logs,
        Action<AnnotatedWebSocketsOptions> configure,
        Action<WebApplicationBuilder>? configureBuilder = null) =>
        KestrelHost.StartAsync(
            configure,
            services: services => services.AddSingleton<TimeProvider>(clock),
            configureBuilder: builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<CapturedLogs>("Annotated.WebSockets", LogLevel.Debug);
                configureBuilder?.Invoke(builder);
            });

    /// <summary>
    /// Drives a stop whose drain client 0's stuck handler holds, from the moment the drain began: nothing ends before
    /// the drain time; then the drain times out, the aborted sessions get <see cref="ServerSessionTracker.AbortGrace"/>
    /// (the stuck session's close handler runs only after it), and the stop ends within twice that.
    /// </summary>
    private static async Task DrainTimesOutAsync(FakeTimeProvider clock, Task stop, CapturedLogs logs, CallbackLog log, TimeSpan drain)
    {
        clock.AdvanceInSteps(drain - Tick, Step);
        await Task.WhenAny(stop, Task.Delay(50));
        Assert.False(stop.IsCompleted, "The stop ended before the drain time.");
        Assert.DoesNotContain(logs.Entries, e => e.EventId == LogEvents.DrainTimedOut);
        Assert.Equal(0, log.Count("0:close:"));

        // The drain times out at its time; it logs that just before arming the grace, so the grace counts from here.
        clock.Advance(Tick);
        await logs.WaitForAsync(LogEvents.DrainTimedOut);
        clock.AdvanceInSteps(ServerSessionTracker.AbortGrace - Tick, Step);
        await Task.WhenAny(stop, Task.Delay(50));
        Assert.False(stop.IsCompleted, "The stop ended before the aborted sessions' grace.");
        Assert.Equal(0, log.Count("0:close:"));
        await clock.AdvanceUntilAsync(stop, Step, ServerSessionTracker.AbortGrace + Tick);
    }

    private static async Task<ClientWebSocket[]> ConnectAsync(KestrelHost host, string id, int count)
    {
        var clients = new ClientWebSocket[count];
        for (var n = 0; n < count; n++)
        {
            clients[n] = await host.ConnectAsync($"/shutdown/worker?id={id}&n={n}");
            await ShutdownLog.For(id).WaitForAsync($"{n}:open");
        }

        return clients;
    }

    private static int IndexOf(IReadOnlyList<string> entries, string entry)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] == entry)
            {
                return i;
            }
        }

        return -1;
    }

    private static void Dispose(ClientWebSocket[] clients)
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}
