using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Annotated handlers declared on a base class (Jakarta §4.8; the TCK's reflection semantics).</summary>
public abstract class EchoHandlersBase
{
    [OnOpen]
    public void Open([PathParam("test")] string test) => Recorder.For(test).Add("open");

    [OnMessage]
    public virtual string Text(string text) => "base:" + text;

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}");
}

/// <summary>Declares no handler of its own: everything comes from <see cref="EchoHandlersBase"/>.</summary>
[ServerEndpoint("/it/inherited/{test}")]
public sealed class InheritedEndpoint : EchoHandlersBase
{
}
