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
    [OnMessage]
    public string Text(string text, [PathParam("test")] string test)
    {
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
