using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>Every message parameter kind of issue 5 over real Kestrel: streamed, partial, segments, pongs, inheritance.</summary>
public class MessageKindsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_TextReader_handler_runs_while_the_message_is_still_arriving()
    {
        using var client = await _host.ConnectAsync($"/it/stream/{Recorder.NewTestId()}");

        await client.SendAsync(Encoding.UTF8.GetBytes("first|ab"), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Timeout);
        // The message is unfinished: a session that buffered it would never answer here.
        Assert.Equal("seen:first", await client.ReceiveTextAsync());
        await client.SendAsync(Encoding.UTF8.GetBytes("cd"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("total:10", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_Stream_handler_runs_while_the_message_is_still_arriving()
    {
        using var client = await _host.ConnectAsync($"/it/stream/{Recorder.NewTestId()}");

        await client.SendAsync(new byte[] { 7, 1, 2 }, WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("seen:7", await client.ReceiveTextAsync());
        await client.SendAsync(new byte[] { 3, 4 }, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("total:5", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Streamed_messages_are_not_limited_by_the_message_buffer_size()
    {
        using var client = await _host.ConnectAsync($"/it/stream/{Recorder.NewTestId()}");
        var part = Encoding.UTF8.GetBytes(new string('a', 64 * 1024));

        await client.SendAsync(Encoding.UTF8.GetBytes("big|"), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("seen:big", await client.ReceiveTextAsync());
        for (var i = 0; i < 24; i++)   // 1.5 MiB, above the 1 MiB default buffer
        {
            await client.SendAsync(part, WebSocketMessageType.Text, endOfMessage: i == 23, CancellationToken.None).WaitAsync(Timeout);
        }

        Assert.Equal($"total:{4 + (24 * 64 * 1024)}", await client.ReceiveTextAsync());
        var binaryPart = new byte[512 * 1024];
        for (var i = 0; i < 4; i++)   // frames stay under the 1 MiB frame limit; the message is 2 MiB
        {
            await client.SendAsync(binaryPart, WebSocketMessageType.Binary, endOfMessage: i == 3, CancellationToken.None).WaitAsync(Timeout);
        }

        Assert.Equal("seen:0", await client.ReceiveTextAsync());
        Assert.Equal($"total:{2 * 1024 * 1024}", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Partial_handlers_get_each_part_with_last_and_no_size_limit()
    {
        using var client = await _host.ConnectAsync("/it/partial");

        await client.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(Encoding.UTF8.GetBytes(" world"), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal("text:2:11:hello", await client.ReceiveTextAsync());

        var part = new byte[512 * 1024];
        for (var i = 0; i < 3; i++)   // 1.5 MiB in three frames
        {
            await client.SendAsync(part, WebSocketMessageType.Binary, i == 2, CancellationToken.None).WaitAsync(Timeout);
        }

        var answer = await client.ReceiveTextAsync();
        Assert.StartsWith("binary:", answer, StringComparison.Ordinal);
        Assert.EndsWith($":{3 * 512 * 1024}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_as_ArraySegment_and_ReadOnlyMemory()
    {
        using var segment = await _host.ConnectAsync("/it/segment");
        await segment.SendBinaryAsync([5, 6, 7]);
        Assert.Equal("3:5", await segment.ReceiveTextAsync());

        using var memory = await _host.ConnectAsync("/it/memory");
        await memory.SendBinaryAsync([1, 2, 3]);
        var (type, data) = await memory.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal([3, 2, 1], data);
    }

    [Fact]
    public async Task An_application_ping_is_answered_by_the_peer_and_the_pong_reaches_the_PongMessage_handler()
    {
        using var client = await _host.ConnectAsync("/it/pingpong");

        await client.SendTextAsync("ping:payload-1");
        Assert.Equal("pong:payload-1", await client.ReceiveTextAsync());

        await client.SendTextAsync("toolong");
        Assert.Equal("rejected", await client.ReceiveTextAsync());

        await client.SendTextAsync("pong");
        Assert.Equal("pong-sent", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Handlers_inherited_from_a_base_class_work_end_to_end()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/inherited/{test}");

        await client.SendTextAsync("x");
        Assert.Equal("base:x", await client.ReceiveTextAsync());
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);

        await Recorder.For(test).WaitForAsync("close:");
        Assert.Equal(["open", "close:1000"], Recorder.For(test).Entries);
    }
}
