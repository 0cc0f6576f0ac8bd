using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// Sets per-session limits in OnOpen from the query (idle=ms, text=bytes) and records the round-tripped values,
/// the errors and the close.
/// </summary>
[ServerEndpoint("/it/settings/{test}")]
public sealed class SessionSettingsEndpoint
{
    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("test")] string test)
    {
        var query = session.RequestParameters;
        if (query.TryGetValue("idle", out var idle))
        {
            session.MaxIdleTimeout = TimeSpan.FromMilliseconds(int.Parse(idle[0], System.Globalization.CultureInfo.InvariantCulture));
        }

        if (query.TryGetValue("text", out var text))
        {
            session.MaxTextMessageBufferSize = int.Parse(text[0], System.Globalization.CultureInfo.InvariantCulture);
        }

        session.MaxBinaryMessageBufferSize = 987_654_321;
        Recorder.For(test).Add($"open:{(int)session.MaxIdleTimeout.TotalMilliseconds}:{session.MaxTextMessageBufferSize}:{session.MaxBinaryMessageBufferSize}");
    }

    [OnMessage]
    public string Echo(string text) => text;

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}:{reason.ReasonPhrase}");
}
