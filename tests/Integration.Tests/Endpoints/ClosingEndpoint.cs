using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Closes the session with the code and phrase the client asks for ("1008 reason").</summary>
[ServerEndpoint("/it/close/{test}")]
public sealed class ClosingEndpoint
{
    [OnMessage]
    public Task Text(WebSocketSession session, string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        return session.CloseAsync(new CloseReason((CloseCode)int.Parse(text[..space], System.Globalization.CultureInfo.InvariantCulture), text[(space + 1)..]));
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}");
}
