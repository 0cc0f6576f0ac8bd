using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// Echoes text and records every message, error and close. Its attributes name no rate-limit policy, since every test
/// host maps all endpoints of this assembly: <see cref="RateLimitTests"/> deploys a copy of its definition with the
/// policy names the generator would have emitted.
/// </summary>
[ServerEndpoint("/it/ratelimit/{test}")]
public sealed class RateLimitEndpoint
{
    /// <summary>Each test's session, by test id, as the last text found it (for the runtime's internal state).</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WebSocketSession> Sessions = new(StringComparer.Ordinal);

    [OnMessage]
    public string Text(string text, WebSocketSession session, [PathParam("test")] string test)
    {
        Sessions[test] = session;
        Recorder.For(test).Add($"text:{text}");
        return text;
    }

    [OnMessage]
    public void Binary(byte[] data, [PathParam("test")] string test) =>
        Recorder.For(test).Add($"binary:{BitConverter.ToInt32(data, 0)}");

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) =>
        Recorder.For(test).Add($"error:{error.GetType().Name}:{(error as MessageRateLimitedException)?.PolicyName}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}", reason);
}
