using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>Decodes text and binary commands with decoders that fail on request; answers <c>cmd:…</c>.</summary>
[ServerEndpoint("/handler/decode/{test}", Decoders = [typeof(FaultyCommandDecoder), typeof(FaultyBinaryCommandDecoder)])]
public sealed class DecoderFaultEndpoint
{
    [OnMessage]
    public string Text(Command command, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"command:{command.Name}");
        return "cmd:" + command.Name;
    }

    [OnMessage]
    public string Binary(BinaryCommand command, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"binary:{command.First}");
        return "bin:" + command.First;
    }

    [OnError]
    public Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"error:{error.GetType().Name}:{error.InnerException?.GetType().Name}", error);
        return session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}");
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}

/// <summary>Returns a <see cref="Reply"/> of the text it got, for the generated code to encode ("boom" fails).</summary>
[ServerEndpoint("/handler/encode-return/{test}", Encoders = [typeof(FaultyReplyEncoder)])]
public sealed class ReturnEncoderFaultEndpoint
{
    [OnMessage]
    public async Task<Reply> Text(string text, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"text:{text}");
        await Task.Yield();
        return new Reply(text);
    }

    [OnError]
    public Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"error:{error.GetType().Name}:{error.InnerException?.GetType().Name}", error);
        return session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}");
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}

/// <summary>
/// Sends replies through encoders that fail: <c>send-caught</c>, <c>send-uncaught</c>, <c>async-send</c> and
/// <c>async-send-callback</c> send a <see cref="Reply"/> the encoder refuses; <c>stream</c> sends a
/// <see cref="StreamReply"/> whose encoder fails after writing part of it; anything else is echoed.
/// </summary>
[ServerEndpoint("/handler/encode/{test}", Encoders = [typeof(FaultyReplyEncoder), typeof(FaultyStreamReplyEncoder)])]
public sealed class EncoderFaultEndpoint
{
    [OnMessage]
    public async Task<string> Text(string text, WebSocketSession session, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"text:{text}");
        switch (text)
        {
            case "send-caught":
                try
                {
                    await session.BasicRemote.SendObjectAsync(new Reply("boom"));
                    return "sent";
                }
                catch (Exception ex)
                {
                    return $"caught:{ex.GetType().Name}:{ex.InnerException?.GetType().Name}";
                }

            case "send-uncaught":
                await session.BasicRemote.SendObjectAsync(new Reply("boom"));
                return "sent";
            case "async-send":
                try
                {
                    await session.AsyncRemote.SendObjectAsync(new Reply("boom"));
                    return "sent";
                }
                catch (Exception ex)
                {
                    return $"async-caught:{ex.GetType().Name}";
                }

            case "async-send-callback":
                var result = new TaskCompletionSource<SendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                session.AsyncRemote.SendObject(new Reply("boom"), result.SetResult);
                var sent = await result.Task.WaitAsync(TimeSpan.FromSeconds(10));
                return $"callback:{sent.IsOk}:{sent.Exception?.GetType().Name}";
            case "stream" or "stream-flushed":
                try
                {
                    await session.BasicRemote.SendObjectAsync(new StreamReply(text == "stream" ? "x" : "flushed"));
                    return "sent";
                }
                catch (Exception ex)
                {
                    return $"stream-caught:{ex.GetType().Name}";
                }

            default:
                return "echo:" + text;
        }
    }

    [OnError]
    public Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"error:{error.GetType().Name}:{error.InnerException?.GetType().Name}", error);
        return session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}");
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}

/// <summary>An endpoint whose only encoder fails in Init and in Destroy.</summary>
[ServerEndpoint("/handler/coder-lifecycle/{test}", Encoders = [typeof(FailingLifecycleEncoder)])]
public sealed class CoderLifecycleFaultEndpoint
{
    [OnOpen]
    public void Open([PathParam("test")] string test) => FaultLog.For(test).Add("open");

    [OnMessage]
    public string Text(string text) => "echo:" + text;

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => FaultLog.For(test).Add($"error:{error.GetType().Name}:{error.Message}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}
