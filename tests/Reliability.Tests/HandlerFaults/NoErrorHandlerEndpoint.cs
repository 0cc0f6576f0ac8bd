using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>Throws on the text <c>throw</c> and has no OnError: the runtime must log the exception (WSC-5.2.2-3).</summary>
[ServerEndpoint("/handler/no-error-handler/{test}")]
public sealed class NoErrorHandlerEndpoint
{
    [OnMessage]
    public string Text(string text) => text == "throw" ? throw new ArgumentException("nobody handles this") : "echo:" + text;

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => FaultLog.For(test).Add($"close:{(int)reason.Code}", reason);
}
