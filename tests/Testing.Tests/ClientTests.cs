using System.Text;

namespace Annotated.WebSockets.Testing.Tests;

public class ClientTests
{
    [Fact]
    public async Task Text_and_binary_are_echoed_and_nothing_more_arrives()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendTextAsync("hello");
        await client.ExpectTextAsync("hello");
        await client.SendBinaryAsync(new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, await client.ExpectBinaryAsync());
        await client.SendTextAsync(new Utf8Text("utf8 ✓"));
        Assert.Equal("utf8 ✓", await client.ExpectNextAsync<string>());
        await client.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task A_path_parameter_and_the_query_reach_the_endpoint()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/greet/ann?punct=!");

        await client.ExpectTextAsync("hello ann!");
    }

    [Fact]
    public async Task The_client_s_preferred_subprotocol_is_negotiated()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/proto", options => options.WithSubprotocols("v1", "v2"));

        Assert.Equal("v1", client.Subprotocol);
        await client.ExpectTextAsync("protocol:v1");
    }

    [Fact]
    public async Task A_ping_is_answered_with_its_payload()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendPingAsync(new byte[] { 9, 8 });
        Assert.Equal(new byte[] { 9, 8 }, await client.ExpectPongAsync());
    }

    [Fact]
    public async Task Objects_go_as_json_and_come_back_typed()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendJsonAsync(new Point(3, 4));
        Assert.Equal(new Point(3, 4), await client.ExpectNextAsync<Point>());
    }

    [Fact]
    public async Task An_unmasked_client_frame_closes_with_1002()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendRawAsync(WebSocketFrames.Text("plain", masked: false));
        await client.ExpectCloseAsync(CloseCode.ProtocolError);
        await host.WaitForQuiescenceAsync();
        Assert.Equal(1, host.Calls().Count("close:"));
    }

    [Fact]
    public async Task Invalid_utf8_closes_with_1007()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendRawAsync(WebSocketFrames.Text(new byte[] { 0xC3, 0x28 }));
        await client.ExpectCloseAsync(CloseCode.NotConsistent);
    }

    [Fact]
    public async Task A_text_above_the_handler_s_limit_closes_with_1009_and_reaches_OnError()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.SendTextAsync(new string('x', 2000));
        await client.ExpectCloseAsync(CloseCode.TooBig);
        await host.WaitForQuiescenceAsync();
        Assert.Contains(host.Calls().Events, e => e == "close:1009");
        Assert.Equal(1, host.Calls().Count("close:"));
    }

    [Fact]
    public async Task Text_to_a_binary_only_endpoint_closes_with_1003()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/binary-only");

        await client.SendTextAsync("no");
        await client.ExpectCloseAsync(CloseCode.CannotAccept);
    }

    [Fact]
    public async Task A_handler_s_exception_reaches_OnError_and_the_session_stays_open()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/fail");

        await client.SendTextAsync("boom");
        await client.ExpectTextAsync("error:InvalidOperationException");
        await client.SendTextAsync("fine");
        await client.ExpectTextAsync("ok");
        await client.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task A_client_close_is_answered_and_OnClose_runs_once()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.CloseAsync(CloseCode.NormalClosure, "bye");
        var reason = await client.ExpectCloseAsync(CloseCode.NormalClosure);
        await host.WaitForQuiescenceAsync();

        Assert.Equal(["open", "close:1000"], host.Calls().Events);
        Assert.Equal(0, host.OpenSessionCount);
        Assert.NotNull(reason);
    }

    [Fact]
    public async Task A_server_close_reaches_the_client_and_OnClose_runs_once()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/closer");

        await client.SendTextAsync("enough");
        await client.ExpectCloseAsync((CloseCode)4000, "enough");
        await host.WaitForQuiescenceAsync();

        Assert.Equal(["close:4000"], host.Calls().Events);
        Assert.Equal(0, host.OpenSessionCount);
    }

    [Fact]
    public async Task An_abort_ends_the_server_session_with_1006_once()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");

        await client.AbortAsync();
        await host.WaitForQuiescenceAsync();

        Assert.Equal(["open", "close:1006"], host.Calls().Events);
        Assert.Equal(0, host.OpenSessionCount);
    }

    [Fact]
    public async Task Several_clients_each_have_their_own_inbox()
    {
        await using var host = await Hosts.StartAsync();
        var a = await host.ConnectAsync("/t/room/red");
        var b = await host.ConnectAsync("/t/room/red");
        var c = await host.ConnectAsync("/t/room/blue");
        Assert.Equal(3, host.OpenSessionCount);

        await a.SendTextAsync("X");

        await b.ExpectTextAsync("X");
        await a.ExpectNothingMoreAsync();
        await b.ExpectNothingMoreAsync();
        await c.ExpectNothingMoreAsync();
    }

    [Fact]
    public async Task Expecting_on_a_closed_client_says_so()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");
        await client.CloseAsync();
        await client.ExpectCloseAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.ExpectTextAsync());
        Assert.Contains("is closed", error.Message);
        Assert.Contains("Connect a new client", error.Message);
    }

    [Fact]
    public async Task A_failed_expectation_shows_the_transcript()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");
        await client.SendTextAsync("one");

        var error = await Assert.ThrowsAsync<WebSocketExpectationException>(() => client.ExpectBinaryAsync());
        Assert.Contains("→ text \"one\"", error.Message);
        Assert.Contains("← text \"one\"", error.Message);
    }

    [Fact]
    public async Task Expect_nothing_more_fails_on_a_stray_message_with_the_transcript()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");
        await client.SendTextAsync("stray");

        var error = await Assert.ThrowsAsync<WebSocketExpectationException>(() => client.ExpectNothingMoreAsync());
        Assert.Contains("text \"stray\"", error.Message);
    }

    [Fact]
    public async Task Expect_nothing_more_on_an_idle_endpoint_does_not_sleep()
    {
        await using var host = await Hosts.StartAsync();
        var client = await host.ConnectAsync("/t/echo");
        await client.SendTextAsync("warm");
        await client.ExpectTextAsync("warm");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await client.ExpectNothingMoreAsync();
        }

        Assert.True(watch.ElapsedMilliseconds < 50 * 10, $"10 checks took {watch.ElapsedMilliseconds} ms");
    }

    private sealed record Point(int X, int Y);
}
