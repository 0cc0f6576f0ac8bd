using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>Text handled as <see cref="Utf8Text"/> over real Kestrel: the bytes in, the bytes out, and the same limits as string text.</summary>
public class Utf8TextTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_handler_gets_the_received_bytes_and_its_result_goes_back_as_the_same_text()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/utf8/{test}");
        var sent = Encoding.UTF8.GetBytes("héllo € 𝄞");

        await client.SendAsync(sent, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);
        var (type, echoed) = await client.ReceiveMessageAsync();

        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(sent, echoed);
        Assert.Equal($"text:{sent.Length}:héllo € 𝄞", Recorder.For(test).Entries.Single());   // Length counts bytes (15), not chars
    }

    [Fact]
    public async Task A_fragmented_message_cut_inside_a_character_arrives_whole_once()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/utf8/{test}");
        var euro = Encoding.UTF8.GetBytes("€");   // three bytes, split across the frames

        await client.SendAsync(new byte[] { (byte)'x', euro[0] }, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(new byte[] { euro[1] }, WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WaitAsync(Timeout);
        await client.SendAsync(new byte[] { euro[2], (byte)'y' }, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal("x€y", await client.ReceiveTextAsync());
        Assert.Equal(["text:5:x€y"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task Invalid_UTF8_closes_with_1007_and_never_reaches_the_handler()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/utf8/{test}");

        await client.SendAsync(new byte[] { (byte)'a', 0xC3, 0x28 }, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WaitAsync(Timeout);
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, status);
        Assert.Equal("close:1007", await Recorder.For(test).WaitForAsync("close:"));
        Assert.Equal(0, Recorder.For(test).Count("text:"));
    }

    [Fact]
    public async Task MaxMessageSize_counts_bytes_and_closes_with_1009_after_OnError()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/utf8/{test}");
        var limit = new string('€', 21);   // 63 bytes: within the 64-byte limit although only 21 characters

        await client.SendTextAsync(limit);
        Assert.Equal(limit, await client.ReceiveTextAsync());
        await client.SendTextAsync(limit + "ab");   // 65 bytes
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("close:1009", await Recorder.For(test).WaitForAsync("close:"));
        Assert.Equal([$"text:63:{limit}", "error:MessageTooBigException", "close:1009"], Recorder.For(test).Entries);
    }

    [Fact]
    public async Task The_async_remote_sends_Utf8Text_as_a_text_message()
    {
        using var client = await _host.ConnectAsync($"/it/utf8/{Recorder.NewTestId()}");

        await client.SendTextAsync("async");

        Assert.Equal("from the async remote", await client.ReceiveTextAsync());
        Assert.Equal("async", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Utf8Text_parts_go_out_as_frames_of_one_text_message()
    {
        using var client = await _host.ConnectAsync($"/it/utf8/{Recorder.NewTestId()}");
        var buffer = new byte[1024];

        await client.SendTextAsync("parts");
        var first = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        var firstBytes = buffer[..first.Count];
        var second = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
        var secondBytes = buffer[..second.Count];

        Assert.Equal((WebSocketMessageType.Text, false), (first.MessageType, first.EndOfMessage));
        Assert.Equal("a€"u8.ToArray(), firstBytes);
        Assert.Equal((WebSocketMessageType.Text, true), (second.MessageType, second.EndOfMessage));
        Assert.Equal(Encoding.UTF8.GetBytes("𝄞"), secondBytes);
        Assert.Equal("parts", await client.ReceiveTextAsync());
    }
}
