using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Testing;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// What over a socket could only be shown by waiting a while and seeing nothing happen (a batch held, no close before
/// the idle timeout, no second OnClose), through the in-memory test host: it knows when the server has nothing left in
/// hand, so "nothing happened" is a fact, not a guess after a sleep, and time is virtual.
/// </summary>
public class QuiescenceTests : IAsyncLifetime
{
    private WebSocketTestHost _host = null!;

    public async Task InitializeAsync() => _host = await WebSocketTestHost.CreateBuilder()
        .AddEndpoint<RemotesEndpoint>()
        .AddEndpoint<SessionSettingsEndpoint>()
        .AddEndpoint<EchoEndpoint>()
        .StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Batched_messages_are_held_until_FlushBatchAsync()
    {
        var test = Recorder.NewTestId();
        var client = await _host.ConnectAsync($"/it/remotes/{test}");

        await client.SendTextAsync("batch");

        // Both sends completed on the server (they are in the batch); nothing has reached the client.
        await client.ExpectNothingMoreAsync();
        Assert.Equal(1, Recorder.For(test).Count("batched"));
        await client.SendTextAsync("flush");
        await client.ExpectTextAsync("b1");
        await client.ExpectTextAsync("b2");
        await client.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task A_per_session_idle_timeout_closes_the_session_and_OnClose_says_so()
    {
        var test = Recorder.NewTestId();
        var idle = TimeSpan.FromMilliseconds(300);
        var client = await _host.ConnectAsync($"/it/settings/{test}?idle=300");
        Assert.Equal(["open:300:1048576:987654321"], Recorder.For(test).Entries);

        // The setting made the heartbeat tick every 75 ms: nothing before the timeout, the close within a tick after it.
        await _host.AdvanceAsync(idle - TimeSpan.FromTicks(1));
        await client.ExpectNothingMoreAsync();
        Assert.Equal(0, Recorder.For(test).Count("close:"));
        await _host.AdvanceAsync(idle / 4 + TimeSpan.FromTicks(1));

        await client.ExpectCloseAsync(CloseCode.GoingAway);
        var close = Assert.Single(Recorder.For(test).Entries, static entry => entry.StartsWith("close:", StringComparison.Ordinal));
        Assert.StartsWith("close:1006:", close, StringComparison.Ordinal);
        Assert.Contains("idle", close, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnClose_runs_once_when_the_client_vanishes()
    {
        var test = Recorder.NewTestId();
        var client = await _host.ConnectAsync($"/it/echo/{test}");
        await client.SendTextAsync("x");
        await client.ExpectTextAsync("x");

        await client.AbortAsync();
        await _host.WaitForQuiescenceAsync();

        Assert.Equal(["open", "text:x", "close:1006:"], Recorder.For(test).Entries);
    }
}
