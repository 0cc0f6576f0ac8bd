using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// Streamed text and binary: answers "seen:..." as soon as the first part of a message has been read (while the
/// message is still arriving), then "total:N" once the stream ends.
/// </summary>
[ServerEndpoint("/it/stream/{test}")]
public sealed class StreamingEndpoint
{
    [OnMessage]
    public async Task Text(TextReader reader, WebSocketSession session)
    {
        var head = new StringBuilder();
        var one = new char[1];
        while (await reader.ReadAsync(one.AsMemory()) == 1 && one[0] != '|')
        {
            head.Append(one[0]);
        }

        await session.BasicRemote.SendTextAsync($"seen:{head}");
        var rest = await reader.ReadToEndAsync();
        await session.BasicRemote.SendTextAsync($"total:{head.Length + 1 + rest.Length}");
    }

    [OnMessage]
    public async Task Binary(Stream stream, WebSocketSession session)
    {
        var buffer = new byte[64 * 1024];
        var first = await stream.ReadAsync(buffer);
        await session.BasicRemote.SendTextAsync($"seen:{buffer[0]}");
        long total = first;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        await session.BasicRemote.SendTextAsync($"total:{total}");
    }

    [OnError]
    public void Error(Exception error, [PathParam("test")] string test) => Recorder.For(test).Add($"error:{error.GetType().Name}", error);
}
