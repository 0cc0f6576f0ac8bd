using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// Whole text as <see cref="Utf8Text"/>: records the byte length and the text, answers the same bytes (the returned
/// value), and on request sends UTF-8 text through the async remote and in parts through the basic remote.
/// </summary>
[ServerEndpoint("/it/utf8/{test}")]
public sealed class Utf8TextEndpoint
{
    [OnMessage(MaxMessageSize = 64)]
    public async Task<Utf8Text> Text(Utf8Text text, WebSocketSession session, [PathParam("test")] string test)
    {
        Recorder.For(test).Add($"text:{text.Length}:{text}");
        if (text.Span.SequenceEqual("async"u8))
        {
            await session.AsyncRemote.SendTextAsync(new Utf8Text("from the async remote"));
        }
        else if (text.Span.SequenceEqual("parts"u8))
        {
            await session.BasicRemote.SendTextAsync(new Utf8Text("a€"u8.ToArray()), isLast: false);
            await session.BasicRemote.SendTextAsync(new Utf8Text("𝄞"), isLast: true);
        }

        return text;
    }

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}");
}
