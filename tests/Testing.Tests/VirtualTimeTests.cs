using Xunit.Abstractions;
using System.Diagnostics;

namespace Annotated.WebSockets.Testing.Tests;

public class VirtualTimeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_30_minute_idle_timeout_closes_once_in_well_under_a_second_and_not_a_millisecond_earlier()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");
        var watch = Stopwatch.StartNew();

        await host.AdvanceAsync(TimeSpan.FromMinutes(30) - TimeSpan.FromMilliseconds(1));
        var advance = watch.ElapsedMilliseconds;
        output.WriteLine($"30 virtual minutes (1,800 heartbeat ticks): {advance} ms");
        Assert.False(client.IsClosed);
        await client.ExpectNothingMoreAsync();

        // The heartbeat checks every second: the close comes at the first tick at or after 30 minutes.
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));
        await client.ExpectCloseAsync(CloseCode.GoingAway, "Idle timeout");
        await client.ExpectNothingMoreAsync();
        watch.Stop();

        Assert.Equal(["open", "close:1006"], host.Calls().Events);
        // Well under a second even on a loaded machine; alone it is a few milliseconds (the line above says).
        Assert.True(watch.ElapsedMilliseconds < 1000, $"30 virtual minutes took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Disposing_the_host_closes_a_client_left_open_whose_server_waits_for_a_rate_limit_token()
    {
        var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/slow-echo");
        await client.SendTextAsync("first");
        await client.SendTextAsync("second");
        await client.ExpectTextAsync("first");

        // The server reads nothing until the token's second has passed, so the client's close is answered only once
        // virtual time passes: the dispose lets it pass instead of waiting for ever.
        await host.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(client.IsClosed);
    }

    [Fact]
    public async Task A_server_timer_fires_at_its_virtual_time()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/ticker");

        await host.AdvanceAsync(TimeSpan.FromSeconds(9));
        await client.ExpectNothingMoreAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        await client.ExpectTextAsync("tick");
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        await client.ExpectTextAsync("tick");
        await client.ExpectTextAsync("tick");
        await client.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Advancing_a_host_on_the_system_clock_says_how_to_fix_it()
    {
        await using var host = await Hosts.StartAsync(builder => builder.ConfigureHost(options => options.UseVirtualTime = false));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.AdvanceAsync(TimeSpan.FromSeconds(1)));
        Assert.Contains("UseVirtualTime", error.Message);
    }

    [Fact]
    public async Task A_host_shutdown_closes_sessions_with_1001_once()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await host.StopAsync();

        await client.ExpectCloseAsync(CloseCode.GoingAway);
        Assert.Equal(["open", "close:1001"], host.Calls().Events);
    }

    [Fact]
    public async Task Clients_left_open_are_closed_and_reported_on_dispose()
    {
        var log = new List<string>();
        var host = await Hosts.StartAsync(builder => builder.ConfigureHost(options => options.Log = log.Add));
        var client = await host.ConnectAsync("/t/echo");

        await host.DisposeAsync();

        Assert.True(client.IsClosed);
        Assert.Contains(log, line => line.Contains("/t/echo", StringComparison.Ordinal) && line.Contains("left open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Clients_left_open_fail_the_dispose_when_required()
    {
        var host = await Hosts.StartAsync(builder => builder.ConfigureHost(options => options.RequireClosedClients = true));
        await host.ConnectAsync("/t/echo");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await host.DisposeAsync());
        Assert.Contains("left open", error.Message);
    }
}
