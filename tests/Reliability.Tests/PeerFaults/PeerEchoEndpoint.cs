namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>Echoes text and binary and records its lifecycle in the <see cref="FaultLog"/> of its <c>{test}</c> id.</summary>
[ServerEndpoint("/peer/echo/{test}")]
public sealed class PeerEchoEndpoint
{
    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("test")] string test) => FaultLog.For(test).Add("open", session);

    [OnMessage]
    public string Text(string text, [PathParam("test")] string test)
    {
        FaultLog.For(test).Add($"text:{text.Length}");
        return text;
    }

    [OnMessage]
    public byte[] Binary(byte[] data) => data;

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => FaultLog.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) =>
        FaultLog.For(test).Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}", reason);
}
