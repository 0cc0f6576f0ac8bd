using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// Reads text as a stream while it arrives: a message starting with <c>throw</c> makes the handler throw after its
/// first read (the rest of the message is still arriving); otherwise it reads to the end and answers the length.
/// </summary>
[ServerEndpoint("/handler/stream/{test}")]
public sealed class StreamFaultEndpoint
{
    [OnMessage]
    public async Task<string> Read(TextReader reader, [PathParam("test")] string test)
    {
        var first = new char[5];
        int read = await reader.ReadBlockAsync(first);
        if (new string(first, 0, read) == "throw")
        {
            FaultLog.For(test).Add("stream:throwing");
            throw new InvalidDataException("stream handler failed");
        }

        string rest = await reader.ReadToEndAsync();
        FaultLog.For(test).Add($"stream:{read + rest.Length}");
        return $"length:{read + rest.Length}";
    }

    [OnError]
    public Task Error(WebSocketSession session, Exception error, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"error:{error.GetType().Name}", error);
        return session.IsOpen ? session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}") : Task.CompletedTask;
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}
