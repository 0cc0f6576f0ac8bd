using System.Globalization;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Takes a path parameter of every supported kind and reports the converted values.</summary>
[ServerEndpoint("/it/params/{test}/{s}/{i}/{l}/{b}/{c}/{d}/{m}/{g}")]
public sealed class PathParametersEndpoint
{
    [OnOpen]
    public void Open(
        [PathParam("test")] string test,
        [PathParam("s")] string s,
        [PathParam("i")] int i,
        [PathParam("l")] long l,
        [PathParam("b")] bool b,
        [PathParam("c")] char c,
        [PathParam("d")] double d,
        [PathParam("m")] decimal m,
        [PathParam("g")] Guid g) =>
        Recorder.For(test).Add(string.Create(CultureInfo.InvariantCulture, $"open:{s}|{i}|{l}|{b}|{c}|{d}|{m}|{g}"));

    [OnMessage]
    public string Text(string text, [PathParam("i")] int i) => $"{text}:{i + 1}";

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}:{error.Message}", error);

    [OnClose]
    public void Close(CloseReason reason, [PathParam("test")] string test) => Recorder.For(test).Add($"close:{(int)reason.Code}");
}
