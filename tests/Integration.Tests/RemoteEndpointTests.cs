using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>BasicRemote and AsyncRemote over real Kestrel: parts, streams, writers, objects, callbacks, batching, timeouts, per-session settings.</summary>
public class RemoteEndpointTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Partial_sends_arrive_as_one_message()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("partial");

        Assert.Equal("SENDTEXTPART1SENDTEXTPART2SENDTEXTPART3", await client.ReceiveTextAsync());
        var (type, data) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([1, 2, 3], data);
    }

    [Fact]
    public async Task GetSendStream_sends_one_binary_message_in_parts()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("stream");

        var (type, data) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(40_000, data.Length);
        Assert.Equal(0, data[0]);
        Assert.Equal(3, data[^1]);
    }

    [Fact]
    public async Task GetSendWriter_sends_one_text_message_and_nothing_when_nothing_is_written()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("writer");

        Assert.Equal("hello writer é", await client.ReceiveTextAsync());
        Assert.Equal("after", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task SendObject_uses_the_built_in_forms_and_fails_with_EncodeException_otherwise()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("objects");

        Assert.Equal("-102", await client.ReceiveTextAsync());
        Assert.Equal("false", await client.ReceiveTextAsync());
        Assert.Equal("j", await client.ReceiveTextAsync());
        Assert.Equal("1.5", await client.ReceiveTextAsync());
        Assert.Equal("-103", await client.ReceiveTextAsync());
        var (type, data) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([9, 8], data);
        Assert.Equal("encode-error:True", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task AsyncRemote_tasks_and_callbacks_report_SendResult_with_the_session()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("async");

        Assert.Equal("a1", await client.ReceiveTextAsync());
        Assert.Equal("a2", await client.ReceiveTextAsync());
        Assert.Equal("callback:True:True:False:EncodeException", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Turning_batching_off_sends_the_batch()
    {
        using var client = await _host.ConnectAsync($"/it/remotes/{Recorder.NewTestId()}");

        await client.SendTextAsync("batch-off");

        Assert.Equal("c1", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_async_send_the_peer_does_not_take_fails_with_TimeoutException()
    {
        var test = Recorder.NewTestId();
        var clock = FakeClock.Create();
        var sendTimeout = TimeSpan.FromMilliseconds(200);   // set by RemotesEndpoint's "timeout" command
        var host = await StartWithClockAsync(clock);
        try
        {
            var client = await host.ConnectAsync($"/it/remotes/{test}");
            var recorder = Recorder.For(test);
            var timedOut = recorder.WaitForAsync("timeout");

            // The client never reads: the connection's buffers fill and a send stops completing. The fake time stands
            // still meanwhile, so every send's timeout counts from now.
            await client.SendTextAsync("timeout");
            await FakeClock.WaitUntilStalledAsync(() => recorder.Count("sending"));

            // Just before the timeout the stuck send still waits; at the timeout it fails.
            clock.Advance(sendTimeout - TimeSpan.FromTicks(1));
            await Task.WhenAny(timedOut, Task.Delay(50));
            Assert.Equal(0, recorder.Count("timeout"));
            Assert.Equal(0, recorder.Count("no-timeout"));
            await clock.AdvanceUntilAsync(timedOut, TimeSpan.FromMilliseconds(1), sendTimeout);

            Assert.Equal("timeout", await timedOut);
            client.Abort();
            client.Dispose();
        }
        finally
        {
            // The stop's close and drain timeouts run on the fake clock too: a session whose send is still stuck on the
            // aborted connection would hold the stop until time passes, so it passes.
            var stopping = host.DisposeAsync().AsTask();
            await clock.AdvanceUntilAsync(stopping, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
            await stopping;
        }
    }

    [Fact]
    public async Task A_per_session_text_buffer_size_closes_with_1009_and_reaches_OnError()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/settings/{test}?text=10");

        await client.SendTextAsync("0123456789");
        Assert.Equal("0123456789", await client.ReceiveTextAsync());
        await client.SendTextAsync("0123456789A");
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("error:MessageTooBigException", await Recorder.For(test).WaitForAsync("error:"));
        Assert.StartsWith("close:1009", await Recorder.For(test).WaitForAsync("close:"), StringComparison.Ordinal);
    }

    // A host of its own whose runtime times out on the fake clock (the shared one stays on real time).
    private static Task<KestrelHost> StartWithClockAsync(FakeTimeProvider clock) =>
        KestrelHost.StartAsync(services: services => services.AddSingleton<TimeProvider>(clock));
}
