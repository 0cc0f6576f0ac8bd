using System.Net.WebSockets;
using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// Exceptions thrown from every lifecycle callback (catalogue WSC-5.2.2-1..4, WSC-4.5-3): an exception from OnOpen
/// or OnMessage reaches OnError unwrapped and the session stays open; one from OnClose reaches OnError; one from
/// OnError itself is logged (never recursed into) and the session carries on. In every case another session of
/// the same endpoint is untouched, the server goes on accepting, and nothing is left running.
/// </summary>
public sealed class CallbackFaultTests
{
    private const string Path = "/handler/callbacks";

    [Theory]
    [InlineData("open", "InvalidOperationException:open failed")]
    [InlineData("open-async", "TimeoutException:open failed later")]
    public async Task An_exception_in_OnOpen_reaches_OnError_and_the_session_stays_open(string fault, string expected)
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, Path);
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"{Path}/{id}?fail={fault}"))
        {
            Assert.Equal($"error:{expected}", await client.ReceiveTextAsync());
            Assert.Equal("echo:still open", await client.EchoTextAsync("still open"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal([$"open", $"error:{expected}", "text:still open", "close:1000"], log.Entries);
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await AssertFreshSessionServedAsync(host);
        await host.AssertNothingLeftRunningAsync();
    }

    [Theory]
    [InlineData("throw", "ArgumentException:message failed")]
    [InlineData("throw-async", "FormatException:message failed later")]
    public async Task An_exception_in_OnMessage_reaches_OnError_and_the_session_stays_open(string text, string expected)
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, Path);
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"{Path}/{id}"))
        {
            Assert.Equal($"error:{expected}", await client.EchoTextAsync(text));
            Assert.Equal($"error:{expected}", await client.EchoTextAsync(text));
            Assert.Equal("echo:next", await client.EchoTextAsync("next"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(2, log.Count($"error:{expected}"));
        Assert.Equal(2, log.Count("error:"));
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await AssertFreshSessionServedAsync(host);
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task An_exception_in_OnClose_reaches_OnError_once_and_the_session_still_ends()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, Path);
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"{Path}/{id}?fail=close"))
        {
            Assert.Equal("echo:x", await client.EchoTextAsync("x"));
            await client.CloseNormallyAsync();
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
        }

        Assert.Equal("error:InvalidOperationException:close failed", await log.SingleAsync("error:"));
        Assert.Equal(1, log.Count("close:"));
        Assert.Equal(["open", "text:x", "close:1000", "error:InvalidOperationException:close failed"], log.Entries);
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await AssertFreshSessionServedAsync(host);
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task An_exception_in_OnError_is_logged_not_recursed_and_the_session_stays_open()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, Path);
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"{Path}/{id}?fail=error"))
        {
            await client.SendTextAsync("throw");
            // OnError threw before telling the client anything: the next thing the client hears is the next echo.
            Assert.Equal("echo:after", await client.EchoTextAsync("after"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(["open", "text:throw", "error:ArgumentException:message failed", "text:after", "close:1000"], log.Entries);
        var logged = await host.Logs.WaitForAsync(4);
        Assert.IsType<NotSupportedException>(logged.Exception);
        Assert.Contains("ArgumentException", logged.Message, StringComparison.Ordinal);
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await AssertFreshSessionServedAsync(host);
        await host.AssertNothingLeftRunningAsync();
    }

    [Theory]
    [InlineData("open,error", "InvalidOperationException")]
    [InlineData("close,error", "InvalidOperationException")]
    public async Task OnError_failing_on_a_lifecycle_failure_is_logged_and_the_session_runs_to_its_end(string faults, string original)
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, Path);
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"{Path}/{id}?fail={faults}"))
        {
            Assert.Equal("echo:x", await client.EchoTextAsync("x"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(1, log.Count("error:"));
        var logged = await host.Logs.WaitForAsync(4);
        Assert.IsType<NotSupportedException>(logged.Exception);
        Assert.Contains(original, logged.Message, StringComparison.Ordinal);
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await AssertFreshSessionServedAsync(host);
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task Without_an_OnError_method_a_handler_exception_is_logged_and_the_session_stays_open()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();

        using (var client = await host.ConnectAsync($"/handler/no-error-handler/{id}"))
        {
            await client.SendTextAsync("throw");
            Assert.Equal("echo:after", await client.EchoTextAsync("after"));
            await client.CloseNormallyAsync();
        }

        var logged = await host.Logs.WaitForAsync(3);
        Assert.IsType<ArgumentException>(logged.Exception);
        Assert.Equal("close:1000", await FaultLog.For(id).SingleAsync("close:"));
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task Failing_callbacks_in_many_sessions_at_once_leave_nothing_running_and_the_host_stops_promptly()
    {
        var host = await FaultHost.StartAsync();
        try
        {
            var ids = Enumerable.Range(0, 20).Select(_ => FaultLog.NewId()).ToArray();
            await Task.WhenAll(ids.Select(async (id, i) =>
            {
                string faults = (i % 4) switch { 0 => "open", 1 => "close", 2 => "error", _ => "open,close,error" };
                using var client = await host.ConnectAsync($"{Path}/{id}?fail={faults}");
                await client.SendTextAsync("throw-async");
                await client.SendTextAsync("last");
                while (await client.ReceiveTextAsync() != "echo:last")
                {
                }

                await client.CloseNormallyAsync();
            })).WaitAsync(TimeSpan.FromSeconds(30));

            foreach (var id in ids)
            {
                Assert.Equal("close:1000", await FaultLog.For(id).SingleAsync("close:"));
            }

            await host.AssertNothingLeftRunningAsync();
        }
        finally
        {
            // Bounded: FaultHost fails the test if stopping takes longer than its limit.
            await host.DisposeAsync();
        }
    }

    internal static async Task AssertFreshSessionServedAsync(FaultHost host)
    {
        var id = FaultLog.NewId();
        using var fresh = await host.ConnectAsync($"{Path}/{id}");
        Assert.Equal("echo:fresh", await fresh.EchoTextAsync("fresh"));
        await fresh.CloseNormallyAsync();
        Assert.Equal("close:1000", await FaultLog.For(id).SingleAsync("close:"));
    }
}
