using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>The session machinery with hand-written dispatchers over real Kestrel and ClientWebSocket.</summary>
public class SessionLifecycleTests
{
    [Fact]
    public async Task Text_and_binary_are_dispatched_and_echoed()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/lifecycle/echo", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/echo");

        await client.SendTextAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());
        await client.SendBinaryAsync([1, 2, 3]);
        var (type, data) = await client.ReceiveMessageAsync();

        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([1, 2, 3], data);
        Assert.Equal(["open", "text:hello:True", "binary:3:True"], endpoint.Log.Entries);
    }

    [Fact]
    public async Task The_peer_close_code_and_reason_reach_OnClose_once()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/lifecycle/peer-close", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/peer-close");

        await client.CloseAsync((WebSocketCloseStatus)4000, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("close:4000:bye", await endpoint.Log.WaitForAsync("close:"));
        Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
        Assert.Equal(1, endpoint.Log.Count("close:"));
    }

    [Fact]
    public async Task A_session_closed_by_the_endpoint_tells_the_peer_and_OnClose_sees_its_reason()
    {
        var endpoint = new ScriptedEndpoint
        {
            OnText = static async (session, text, last) =>
                await session.CloseAsync(new CloseReason(CloseCode.ViolatedPolicy, "no " + text)),
        };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/server-close", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/server-close");

        await client.SendTextAsync("swearing");
        var (status, description) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("no swearing", description);
        Assert.Equal("close:1008:no swearing", await endpoint.Log.WaitForAsync("close:"));
    }

    [Fact]
    public async Task A_vanished_peer_gives_1006_exactly_once()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/lifecycle/abort", endpoint);
        var client = await host.ConnectAsync("/lifecycle/abort");
        await client.SendTextAsync("x");
        await client.ReceiveTextAsync();

        client.Abort();
        client.Dispose();

        Assert.Equal("close:1006:", await endpoint.Log.WaitForAsync("close:"));
        // Once the connection is torn down no OnClose can follow: wait for that, not for a while.
        var container = host.App.Services.GetRequiredService<ServerContainer>();
        await FakeClock.WaitUntilAsync(() => container.Sessions.Count == 0, "the connection to be torn down");
        Assert.Equal(1, endpoint.Log.Count("close:"));
        Assert.Equal(0, endpoint.Log.Count("error:"));
    }

    [Fact]
    public async Task Stopping_the_host_closes_sessions_with_1001()
    {
        var endpoint = new ScriptedEndpoint();
        var host = await ServerTestHost.StartAsync("/lifecycle/shutdown", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/shutdown");
        await endpoint.Log.WaitForAsync("open");

        var stopping = host.DisposeAsync().AsTask();
        var (status, _) = await client.ReceiveCloseAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.StartsWith("close:1001:", await endpoint.Log.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.Equal(1, endpoint.Log.Count("close:"));
    }

    [Fact]
    public async Task An_exception_in_a_message_handler_reaches_OnError_and_the_session_stays_open()
    {
        var failure = new InvalidOperationException("boom");
        var endpoint = new ScriptedEndpoint
        {
            OnText = (session, text, last) => text == "fail"
                ? ValueTask.FromException(failure)
                : new ValueTask(session.BasicRemote.SendTextAsync(text)),
        };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/error", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/error");

        await client.SendTextAsync("fail");
        await client.SendTextAsync("still here");

        Assert.Equal("still here", await client.ReceiveTextAsync());
        Assert.Same(failure, endpoint.Log.Values.OfType<Exception>().Single());
    }

    [Fact]
    public async Task A_synchronous_throw_in_OnOpen_reaches_OnError_and_messages_still_flow()
    {
        var endpoint = new ScriptedEndpoint { OnOpen = static _ => throw new ArgumentException("open failed") };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/open-error", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/open-error");

        await client.SendTextAsync("ping");

        Assert.Equal("ping", await client.ReceiveTextAsync());
        Assert.Equal(["open", "error:ArgumentException:open failed", "text:ping:True"], endpoint.Log.Entries);
    }

    [Fact]
    public async Task An_exception_in_OnClose_reaches_OnError()
    {
        var endpoint = new ScriptedEndpoint { OnClose = static (_, _) => throw new InvalidOperationException("close failed") };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/close-error", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/close-error");

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("error:InvalidOperationException:close failed", await endpoint.Log.WaitForAsync("error:"));
        Assert.Equal("close:1000:", endpoint.Log.Entries[^2]);
    }

    [Fact]
    public async Task A_message_over_the_handler_limit_closes_with_1009_after_OnError()
    {
        var endpoint = new ScriptedEndpoint { MaxTextMessageSize = 5 };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/too-big", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/too-big");

        await client.SendTextAsync("12345");
        Assert.Equal("12345", await client.ReceiveTextAsync());
        await client.SendTextAsync("123456");
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("close:1009:", (await endpoint.Log.WaitForAsync("close:"))[..11]);
        var entries = endpoint.Log.Entries;
        Assert.StartsWith("error:MessageTooBigException:", entries[^2], StringComparison.Ordinal);
        Assert.IsType<MessageTooBigException>(endpoint.Log.Values.OfType<Exception>().Single());
    }

    [Fact]
    public async Task A_binary_message_over_the_session_buffer_closes_with_1009()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/lifecycle/buffer", endpoint, options => options.Sessions.MaxBinaryMessageBufferSize = 100);
        using var client = await host.ConnectAsync("/lifecycle/buffer");

        await client.SendBinaryAsync(new byte[101]);
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.StartsWith("close:1009", await endpoint.Log.WaitForAsync("close:"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kind_without_a_handler_closes_with_1003()
    {
        var endpoint = new ScriptedEndpoint { Binary = MessageDelivery.None };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/unhandled", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/unhandled");

        await client.SendBinaryAsync([1]);
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.StartsWith("close:1003:", await endpoint.Log.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.Equal(0, endpoint.Log.Count("binary:"));
    }

    [Fact]
    public async Task Partial_handlers_get_each_frame_with_the_last_flag()
    {
        var endpoint = new ScriptedEndpoint { Text = MessageDelivery.Partial, OnText = static (_, _, _) => default };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/partial", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/partial");

        await client.SendAsync(Encoding.UTF8.GetBytes("ab"), WebSocketMessageType.Text, false, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("cd"), WebSocketMessageType.Text, true, CancellationToken.None);

        await endpoint.Log.WaitForAsync("text:cd");
        Assert.Equal(["open", "text:ab:False", "text:cd:True"], endpoint.Log.Entries);
    }

    [Fact]
    public async Task Stream_handlers_get_the_whole_message()
    {
        var endpoint = new ScriptedEndpoint { Text = MessageDelivery.Stream, Binary = MessageDelivery.Stream };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/stream", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/stream");

        await client.SendAsync(Encoding.UTF8.GetBytes("ab"), WebSocketMessageType.Text, false, CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("cd"), WebSocketMessageType.Text, true, CancellationToken.None);
        await client.SendBinaryAsync(new byte[7]);

        Assert.Equal("textstream:abcd", await endpoint.Log.WaitForAsync("textstream:"));
        Assert.Equal("binarystream:7", await endpoint.Log.WaitForAsync("binarystream:"));
    }

    [Fact]
    public async Task Idle_sessions_close_with_1001_on_the_wire_and_1006_locally()
    {
        var endpoint = new ScriptedEndpoint();
        var clock = FakeClock.Create();
        var idle = TimeSpan.FromMilliseconds(300);
        await using var host = await ServerTestHost.StartAsync("/lifecycle/idle", endpoint, clock, options => options.Sessions.MaxIdleTimeout = idle);
        using var client = await host.ConnectAsync("/lifecycle/idle");
        await endpoint.Log.WaitForAsync("open");
        var closing = client.ReceiveCloseAsync();

        // The heartbeat ticks every 75 ms: nothing before the timeout, the close within a tick after it.
        clock.AdvanceInSteps(idle - TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(5));
        Assert.False(closing.IsCompleted);
        Assert.Equal(["open"], endpoint.Log.Entries);
        await clock.AdvanceUntilAsync(closing, TimeSpan.FromMilliseconds(5), idle / 4 + TimeSpan.FromTicks(1));
        var (status, _) = await closing;

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.StartsWith("close:1006:", await endpoint.Log.WaitForAsync("close:"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pongs_reach_the_pong_handler_and_sessions_can_ping()
    {
        var endpoint = new ScriptedEndpoint
        {
            HandlesPong = true,
            OnOpen = static session => new ValueTask(session.BasicRemote.SendPingAsync(new byte[] { 0xAB })),
        };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/pong", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/pong");

        // ClientWebSocket answers the ping while it receives.
        var receive = client.ReceiveMessageAsync();

        Assert.Equal("pong:AB", await endpoint.Log.WaitForAsync("pong:"));
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await receive;
    }

    [Fact]
    public async Task Control_payloads_over_125_bytes_are_rejected()
    {
        var endpoint = new ScriptedEndpoint
        {
            OnText = static async (session, _, _) =>
            {
                var error = await Assert.ThrowsAsync<ArgumentException>(() => session.BasicRemote.SendPingAsync(new byte[126]));
                await session.BasicRemote.SendTextAsync(error.GetType().Name);
            },
        };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/ping-size", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/ping-size");

        await client.SendTextAsync("go");

        Assert.Equal("ArgumentException", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Sending_after_close_throws_IOException()
    {
        var endpoint = new ScriptedEndpoint();
        WebSocketSession? captured = null;
        endpoint.OnOpen = session =>
        {
            captured = session;
            return default;
        };
        await using var host = await ServerTestHost.StartAsync("/lifecycle/closed-send", endpoint);
        using var client = await host.ConnectAsync("/lifecycle/closed-send");
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await endpoint.Log.WaitForAsync("close:");

        Assert.False(captured!.IsOpen);
        await Assert.ThrowsAsync<IOException>(() => captured.BasicRemote.SendTextAsync("late"));
        await captured.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));   // idempotent on a closed session
    }
}
