using System.Net;
using System.Net.WebSockets;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>Generated endpoints of this assembly, served by real Kestrel, driven by ClientWebSocket.</summary>
public class AnnotatedEndpointTests : IAsyncLifetime
{
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Open_then_echo_text_and_binary_then_close()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/echo/{test}");

        await client.SendTextAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());
        await client.SendBinaryAsync([0, 1, 255]);
        var (type, data) = await client.ReceiveMessageAsync();
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([0, 1, 255], data);
        await Recorder.For(test).WaitForAsync("close:");
        Assert.Equal(["open", "text:hello", "close:1000:"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task Path_parameters_of_every_type_are_converted()
    {
        var test = Recorder.NewTestId();
        var guid = Guid.NewGuid();
        using var client = await _host.ConnectAsync($"/it/params/{test}/word/42/9000000000/TRUE/x/2.5/10.25/{guid}");

        await client.SendTextAsync("n");

        Assert.Equal("n:43", await client.ReceiveTextAsync());
        Assert.Equal($"open:word|42|9000000000|True|x|2.5|10.25|{guid}", await Recorder.For(test).WaitForAsync("open:"));
    }

    [Fact]
    public async Task A_path_parameter_that_does_not_convert_reaches_OnError_as_DecodeException()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/params/{test}/word/not-a-number/1/true/x/1/1/{Guid.Empty}");

        var error = await Recorder.For(test).WaitForAsync("error:");

        Assert.StartsWith("error:DecodeException:", error, StringComparison.Ordinal);
        Assert.Contains("not-a-number", error, StringComparison.Ordinal);
        Assert.IsType<DecodeException>(Recorder.For(test).Values.Single());
    }

    [Fact]
    public async Task Return_values_are_sent_back_sync_and_async()
    {
        using var client = await _host.ConnectAsync("/it/returns");

        await client.SendTextAsync("shout");
        Assert.Equal("SHOUT", await client.ReceiveTextAsync());
        await client.SendBinaryAsync(new byte[7]);
        Assert.Equal("7", await client.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("sync", "ArgumentException:sync failure")]
    [InlineData("async", "FormatException:async failure")]
    public async Task Handler_exceptions_reach_OnError_and_the_session_stays_open(string trigger, string expected)
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/throws/{test}");

        await client.SendTextAsync(trigger);
        Assert.Equal($"error:{expected}", await client.ReceiveTextAsync());
        await client.SendTextAsync("again");

        Assert.Equal("ok:again", await client.ReceiveTextAsync());
        Assert.Equal(WebSocketState.Open, client.State);
    }

    [Fact]
    public async Task An_exception_in_OnOpen_reaches_OnError_and_the_session_stays_open()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/throws/{test}?fail-open");

        Assert.Equal("error:InvalidOperationException:open failed", await client.ReceiveTextAsync());
        await client.SendTextAsync("after");
        Assert.Equal("ok:after", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_client_close_code_reaches_OnClose()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/echo/{test}");

        await client.CloseAsync((WebSocketCloseStatus)4000, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("close:4000:bye", await Recorder.For(test).WaitForAsync("close:"));
    }

    [Fact]
    public async Task Session_CloseAsync_sends_its_code_and_reason()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/close/{test}");

        await client.SendTextAsync("1008 not allowed");
        var (status, description) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal("not allowed", description);
        Assert.Equal("close:1008:not allowed", await Recorder.For(test).WaitForAsync("close:"));
    }

    [Fact]
    public async Task Stopping_the_host_closes_open_sessions_with_1001_once()
    {
        var test = Recorder.NewTestId();
        var host = await KestrelHost.StartAsync();
        using var client = await host.ConnectAsync($"/it/echo/{test}");
        await Recorder.For(test).WaitForAsync("open");

        var stopping = host.DisposeAsync().AsTask();
        var (status, _) = await client.ReceiveCloseAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status);
        Assert.StartsWith("close:1001:", await Recorder.For(test).WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.Equal(1, Recorder.For(test).Count("close:"));
    }

    [Fact]
    public async Task Concurrent_sessions_have_their_own_instances_and_OpenSessions_counts_them()
    {
        var group = Recorder.NewTestId();
        var clients = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            var client = await _host.ConnectAsync($"/it/sessions/{group}");
            Assert.Equal("subprotocol:", await client.ReceiveTextAsync());
            clients.Add(client);
        }

        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            for (var n = 1; n <= 5; n++)
            {
                await client.SendTextAsync($"c{index}");
                Assert.Equal($"{n}:c{index}", await client.ReceiveTextAsync());
            }
        }));
        await clients[0].SendTextAsync("count");
        Assert.Equal("3", await clients[0].ReceiveTextAsync());

        await clients[2].CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        clients[2].Dispose();
        await clients[0].SendTextAsync("count");
        Assert.Equal("2", await clients[0].ReceiveTextAsync());
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Fact]
    public async Task The_first_supported_subprotocol_in_the_client_order_is_chosen()
    {
        using var client = await _host.ConnectAsync($"/it/sessions/{Recorder.NewTestId()}", options =>
        {
            options.AddSubProtocol("v3.chat");
            options.AddSubProtocol("v1.chat");
            options.AddSubProtocol("v2.chat");
        });

        Assert.Equal("v1.chat", client.SubProtocol);
        Assert.Equal("subprotocol:v1.chat", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_message_over_MaxMessageSize_closes_with_1009_after_OnError()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/limits/{test}");

        await client.SendTextAsync("12345");
        Assert.Equal("12345", await client.ReceiveTextAsync());
        await client.SendTextAsync("123456");
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("close:1009", await Recorder.For(test).WaitForAsync("close:"));
        Assert.Equal(["error:MessageTooBigException", "close:1009"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task A_message_kind_without_a_handler_closes_with_1003()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/limits/{test}");

        await client.SendBinaryAsync([1, 2]);
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, status);
        Assert.Equal("close:1003", await Recorder.For(test).WaitForAsync("close:"));
    }

    [Fact]
    public async Task A_plain_GET_to_an_endpoint_gets_426()
    {
        using var http = new HttpClient { BaseAddress = _host.BaseAddress };

        using var response = await http.GetAsync($"/it/echo/{Recorder.NewTestId()}").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Http2_extended_CONNECT_over_cleartext()
    {
        var test = Recorder.NewTestId();
        await using var host = await KestrelHost.StartAsync(protocols: HttpProtocols.Http2);
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version20;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        client.Options.CollectHttpResponseDetails = true;

        await client.ConnectAsync(host.WebSocketUri($"/it/echo/{test}"), invoker, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await client.SendTextAsync("h2");
        Assert.Equal("h2", await client.ReceiveTextAsync());
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.OK, client.HttpStatusCode);
        Assert.Equal("close:1000:done", await Recorder.For(test).WaitForAsync("close:"));
    }
}
