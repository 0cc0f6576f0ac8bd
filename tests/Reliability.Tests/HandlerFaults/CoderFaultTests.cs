using System.Net.WebSockets;
using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// Exceptions from decoders and encoders (catalogue WSC-5.2.2-2, JD:RemoteEndpoint.Async, DECISIONS.md §9, §21): a
/// decoder that throws or refuses gives OnError a <see cref="DecodeException"/> (carrying the decoder's exception)
/// and the session stays open; an encoder that fails on a returned value gives OnError an
/// <see cref="EncodeException"/>; one that fails in <c>SendObjectAsync</c> throws <see cref="EncodeException"/> to
/// the sender (a faulted task, or a failed <see cref="SendResult"/>) and reaches OnError only if the handler lets it
/// escape; an encoder failing in Init goes to OnError and one failing in Destroy is logged. Other sessions carry on.
/// </summary>
public sealed class CoderFaultTests
{
    [Theory]
    [InlineData("decode-throws", "DecodeException:InvalidDataException")]
    [InlineData("willdecode-throws", "DecodeException:InvalidOperationException")]
    [InlineData("refuse", "DecodeException:")]
    public async Task A_failing_text_decoder_reaches_OnError_as_DecodeException_and_the_session_stays_open(string text, string expected)
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/decode");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/decode/{id}"))
        {
            Assert.Equal("error:DecodeException", await client.EchoTextAsync(text));
            Assert.Equal("cmd:ok", await client.EchoTextAsync("ok"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal(["error:" + expected, "command:ok", "close:1000"], log.Entries);
        var error = Assert.IsType<DecodeException>(log.Values[0]);
        Assert.Equal(text, error.Text);
        await bystander.AssertUnaffectedAsync("hi", "cmd:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_failing_binary_decoder_reaches_OnError_as_DecodeException_and_the_session_stays_open()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/decode");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/decode/{id}"))
        {
            await client.SendBinaryAsync([0xFF, 1]);
            Assert.Equal("error:DecodeException", await client.ReceiveTextAsync());
            await client.SendBinaryAsync([7]);
            Assert.Equal("bin:7", await client.ReceiveTextAsync());
            await client.CloseNormallyAsync();
        }

        Assert.Equal(["error:DecodeException:InvalidDataException", "binary:7", "close:1000"], log.Entries);
        var error = Assert.IsType<DecodeException>(log.Values[0]);
        Assert.NotNull(error.Bytes);
        Assert.Null(error.Text);
        await bystander.AssertUnaffectedAsync("hi", "cmd:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task DecodeException_Bytes_still_hold_the_undecodable_message_after_later_messages()
    {
        await using var host = await FaultHost.StartAsync();
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/decode/{id}"))
        {
            await client.SendBinaryAsync([0xFF, 1]);
            Assert.Equal("error:DecodeException", await client.ReceiveTextAsync());
            await client.SendBinaryAsync([7, 7]);
            Assert.Equal("bin:7", await client.ReceiveTextAsync());
            await client.CloseNormallyAsync();
        }

        var error = Assert.IsType<DecodeException>(log.Values[0]);
        Assert.Equal(new byte[] { 0xFF, 1 }, error.Bytes?.ToArray());
    }

    [Fact]
    public async Task An_encoder_failing_on_a_returned_value_reaches_OnError_as_EncodeException_and_nothing_is_sent()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/encode-return");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/encode-return/{id}"))
        {
            // The only message the client receives for "boom" is OnError's: no half-encoded reply goes out.
            Assert.Equal("error:EncodeException", await client.EchoTextAsync("boom"));
            Assert.Equal("reply:fine", await client.EchoTextAsync("fine"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal(["text:boom", "error:EncodeException:ArithmeticException", "text:fine", "close:1000"], log.Entries);
        var error = Assert.IsType<EncodeException>(log.Values[0]);
        Assert.Equal(new Reply("boom"), error.Value);
        await bystander.AssertUnaffectedAsync("hi", "reply:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Theory]
    [InlineData("send-caught", "caught:EncodeException:ArithmeticException", 0)]
    [InlineData("async-send", "async-caught:EncodeException", 0)]
    [InlineData("async-send-callback", "callback:False:EncodeException", 0)]
    [InlineData("send-uncaught", "error:EncodeException", 1)]
    public async Task An_encoder_failing_in_SendObject_fails_the_send_and_the_session_stays_open(string command, string reply, int errors)
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/encode");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/encode/{id}"))
        {
            Assert.Equal(reply, await client.EchoTextAsync(command));
            Assert.Equal("echo:next", await client.EchoTextAsync("next"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(errors, log.Count("error:EncodeException:ArithmeticException"));
        Assert.Equal(errors, log.Count("error:"));
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_stream_encoder_failing_midway_fails_the_send_sends_nothing_and_the_session_stays_open()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/encode");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/encode/{id}"))
        {
            await client.SendTextAsync("stream");
            var received = new List<string>();
            while (true)
            {
                var (type, data) = await client.ReceiveMessageAsync();
                string text = System.Text.Encoding.UTF8.GetString(data);
                received.Add($"{type}:{text}");
                if (type == WebSocketMessageType.Text)
                {
                    break;
                }
            }

            Assert.Equal(["Text:stream-caught:EncodeException"], received);
            Assert.Equal("echo:next", await client.EchoTextAsync("next"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(0, log.Count("error:"));
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task A_stream_encoder_failing_after_a_part_went_out_fails_the_connection_with_1011_instead_of_ending_the_message()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/handler/encode");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/encode/{id}"))
        {
            await client.SendTextAsync("stream-flushed");
            var buffer = new byte[1024];
            var part = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(WebSocketMessageType.Binary, part.MessageType);
            Assert.False(part.EndOfMessage);
            Assert.Equal("partial:flushed", System.Text.Encoding.UTF8.GetString(buffer, 0, part.Count));

            // The message is never completed: the next thing on the wire is the close.
            var close = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(WebSocketMessageType.Close, close.MessageType);
            Assert.Equal(WebSocketCloseStatus.InternalServerError, client.CloseStatus);
        }

        Assert.Equal("close:1011", await log.SingleAsync("close:"));
        await bystander.AssertUnaffectedAsync("hi", "echo:hi");
        await host.AssertNothingLeftRunningAsync();
    }

    [Fact]
    public async Task An_encoder_failing_in_Init_reaches_OnError_and_one_failing_in_Destroy_is_logged()
    {
        await using var host = await FaultHost.StartAsync();
        using var bystander = await Bystander.ConnectAsync(host, "/peer/echo");
        var id = FaultLog.NewId();
        var log = FaultLog.For(id);

        using (var client = await host.ConnectAsync($"/handler/coder-lifecycle/{id}"))
        {
            Assert.Equal("echo:x", await client.EchoTextAsync("x"));
            await client.CloseNormallyAsync();
        }

        Assert.Equal("close:1000", await log.SingleAsync("close:"));
        Assert.Equal(["error:InvalidOperationException:Init failed", "open", "close:1000"], log.Entries);
        var logged = await host.Logs.WaitForAsync(8);
        Assert.Equal("Destroy failed", logged.Exception?.Message);
        await bystander.AssertUnaffectedAsync("hi", "hi");
        await host.AssertNothingLeftRunningAsync();
    }
}
