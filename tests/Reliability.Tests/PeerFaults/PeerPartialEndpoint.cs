namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>Takes text in parts (every piece the engine reads is a callback) and records its lifecycle.</summary>
[ServerEndpoint("/peer/partial/{test}")]
public sealed class PeerPartialEndpoint
{
    [OnMessage]
    public void Part(string part, bool last, [PathParam("test")] string test) => FaultLog.For(test).Add($"part:{part.Length}:{last}");

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => FaultLog.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) =>
        FaultLog.For(test).Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}", reason);
}
