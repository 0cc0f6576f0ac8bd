using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Accepts text of at most 5 bytes and no binary at all.</summary>
[ServerEndpoint("/it/limits/{test}")]
public sealed class LimitsEndpoint
{
    [OnMessage(MaxMessageSize = 5)]
    public string Text(string text) => text;

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}");
}
