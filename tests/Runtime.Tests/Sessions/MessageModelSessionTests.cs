using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Server;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>The session side of the issue 5 message model, over in-memory pipes.</summary>
public class MessageModelSessionTests
{
    [Fact]
    public async Task Message_handlers_are_one_per_kind_typed_and_removable()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        var session = harness.Session;

        var text = session.AddMessageHandler<string>(_ => { });
        var error = Assert.Throws<InvalidOperationException>(() => session.AddMessageHandler<TextReader>(_ => { }));
        Assert.Contains("text", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => session.AddMessageHandler<int>(_ => { }));
        Assert.Throws<ArgumentException>(() => session.AddMessageHandler<Stream>((_, _) => { }));
        session.AddMessageHandler<byte[]>((_, _) => { });
        session.AddMessageHandler<PongMessage>(_ => { });
        Assert.Equal(3, session.MessageHandlers.Count);

        session.RemoveMessageHandler(text);

        Assert.Equal(2, session.MessageHandlers.Count);
        Assert.DoesNotContain(text, session.MessageHandlers);
        session.AddMessageHandler<TextReader>(_ => { });
        Assert.Equal(3, session.MessageHandlers.Count);
    }

    [Fact]
    public async Task A_session_message_handler_takes_precedence_over_the_endpoint_method()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Session.AddMessageHandler<string>(received.SetResult);

        await harness.SendTextAsync("to the handler");

        Assert.Equal("to the handler", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, endpoint.Log.Count("text:"));
    }

    [Fact]
    public async Task A_whole_handler_added_while_parts_are_expected_gets_the_message_whole()
    {
        var endpoint = new ScriptedEndpoint { Text = MessageDelivery.Partial };
        await using var harness = SessionHarness.Start(endpoint);
        await harness.SendTextAsync("x");
        Assert.Equal("x", await ReceiveTextAsync(harness));   // the loop now waits with a "parts" policy
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Session.AddMessageHandler<string>(received.SetResult);

        await harness.Peer.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes("ab"), false, CancellationToken.None);
        await harness.Peer.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes("cd"), true, CancellationToken.None);

        Assert.Equal("abcd", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task An_endpoint_that_takes_Utf8Text_gets_the_bytes_and_its_answer_is_a_text_frame_of_them()
    {
        var endpoint = new ScriptedEndpoint { TextAsUtf8 = true };
        await using var harness = SessionHarness.Start(endpoint);
        var sent = Encoding.UTF8.GetBytes("é€𝄞");

        await harness.Peer.SendAsync(WebSocketMessageKind.Text, sent, true, CancellationToken.None);
        var answer = await harness.PeerReceiveAsync(WebSocketEventKind.Text);

        Assert.Equal((WebSocketEventKind.Text, true), (answer.Kind, answer.EndOfMessage));
        Assert.Equal(sent, answer.Payload.ToArray());
        Assert.Equal(["utf8:9:é€𝄞"], endpoint.Log.Entries.Where(e => e.StartsWith("utf8:", StringComparison.Ordinal) || e.StartsWith("text:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_Utf8Text_message_handler_gets_the_received_bytes_undecoded()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Session.AddMessageHandler<Utf8Text>(text => received.SetResult(text.ToArray()));
        var sent = Encoding.UTF8.GetBytes("né€𝄞");

        await harness.Peer.SendAsync(WebSocketMessageKind.Text, sent, true, CancellationToken.None);

        Assert.Equal(sent, await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, endpoint.Log.Count("text:"));
        Assert.Throws<ArgumentException>(() => harness.Session.AddMessageHandler<Utf8Text>((_, _) => { }));
    }

    [Fact]
    public async Task A_Utf8Text_handler_added_while_parts_are_expected_gets_the_message_whole()
    {
        var endpoint = new ScriptedEndpoint { Text = MessageDelivery.Partial };
        await using var harness = SessionHarness.Start(endpoint);
        await harness.SendTextAsync("x");
        Assert.Equal("x", await ReceiveTextAsync(harness));   // the loop now waits with a "parts" policy
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Session.AddMessageHandler<Utf8Text>(text => received.SetResult($"{text.Length}:{text}"));
        var euro = Encoding.UTF8.GetBytes("€");

        await harness.Peer.SendAsync(WebSocketMessageKind.Text, new byte[] { (byte)'a', euro[0] }, false, CancellationToken.None);
        await harness.Peer.SendAsync(WebSocketMessageKind.Text, euro.AsMemory(1), true, CancellationToken.None);

        Assert.Equal("4:a€", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_pong_that_arrives_during_a_streamed_message_waits_for_the_stream_handler()
    {
        var endpoint = new ScriptedEndpoint { Text = MessageDelivery.Stream, HandlesPong = true };
        await using var harness = SessionHarness.Start(endpoint);

        await harness.Peer.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes("ab"), false, CancellationToken.None);
        await harness.Peer.SendPongAsync(new byte[] { 0xAB }, CancellationToken.None);
        await harness.Peer.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes("cd"), true, CancellationToken.None);

        await endpoint.Log.WaitForAsync("pong:");
        var entries = endpoint.Log.Entries.Where(e => e.StartsWith("textstream:", StringComparison.Ordinal) || e.StartsWith("pong:", StringComparison.Ordinal));
        Assert.Equal(["textstream:abcd", "pong:AB"], entries);
    }

    [Fact]
    public async Task A_message_sent_in_parts_sends_the_batch_first_and_is_not_interleaved()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        var remote = harness.Session.BasicRemote;

        remote.BatchingAllowed = true;
        await remote.SendTextAsync("batched");
        await remote.SendTextAsync("part1-", isLast: false);   // sends the batch first
        await remote.SendTextAsync("part2", isLast: true);
        remote.BatchingAllowed = false;

        await remote.SendTextAsync("p1-", isLast: false);
        var whole = remote.SendTextAsync("whole");   // waits for the last part
        await remote.SendTextAsync("p2", isLast: true);
        await whole.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("batched", await ReceiveTextAsync(harness));
        Assert.Equal("part1-part2", await ReceiveTextAsync(harness));
        Assert.Equal("p1-p2", await ReceiveTextAsync(harness));
        Assert.Equal("whole", await ReceiveTextAsync(harness));
    }

    [Fact]
    public async Task Async_sends_after_close_fail_through_the_task_and_the_callback()
    {
        var endpoint = new ScriptedEndpoint();
        await using var harness = SessionHarness.Start(endpoint);
        var session = harness.Session;
        await session.CloseAsync().WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<IOException>(() => session.AsyncRemote.SendTextAsync("late"));
        var result = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.AsyncRemote.SendBinary(new byte[] { 1 }, result.SetResult);
        var sendResult = await result.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(sendResult.IsOk);
        Assert.IsType<IOException>(sendResult.Exception);
        Assert.Same(session, sendResult.Session);
    }

    [Fact]
    public void Extensions_parse_and_print_in_header_form()
    {
        var extension = Extension.Parse(" permessage-deflate; client_max_window_bits=10 ;server_no_context_takeover");

        Assert.Equal("permessage-deflate", extension.Name);
        Assert.Equal([new ExtensionParameter("client_max_window_bits", "10"), new ExtensionParameter("server_no_context_takeover", null)], extension.Parameters);
        Assert.Equal("permessage-deflate; client_max_window_bits=10; server_no_context_takeover", extension.ToString());
        Assert.Equal(extension, Extension.Parse(extension.ToString()));
        Assert.Throws<FormatException>(() => Extension.Parse("; x=1"));
    }

    private static async Task<string> ReceiveTextAsync(SessionHarness harness)
    {
        var received = await harness.PeerReceiveAsync(WebSocketEventKind.Text);
        Assert.Equal(WebSocketEventKind.Text, received.Kind);
        return Encoding.UTF8.GetString(received.Payload.Span);
    }
}
