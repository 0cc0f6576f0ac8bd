using System.Text;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>"ping:xyz" makes the server ping with payload xyz; the client's automatic pong reaches the pong handler, which reports it.</summary>
[ServerEndpoint("/it/pingpong")]
public sealed class PingPongEndpoint
{
    [OnMessage]
    public async Task Text(string text, WebSocketSession session)
    {
        if (text.StartsWith("ping:", StringComparison.Ordinal))
        {
            await session.BasicRemote.SendPingAsync(Encoding.UTF8.GetBytes(text[5..]));
        }
        else if (text == "toolong")
        {
            try
            {
                await session.BasicRemote.SendPingAsync(new byte[126]);
            }
            catch (ArgumentException)
            {
                await session.BasicRemote.SendTextAsync("rejected");
            }
        }
        else if (text == "pong")
        {
            await session.BasicRemote.SendPongAsync(Encoding.UTF8.GetBytes("unsolicited"));
            await session.BasicRemote.SendTextAsync("pong-sent");
        }
    }

    [OnMessage]
    public Task Pong(PongMessage pong, WebSocketSession session) =>
        session.BasicRemote.SendTextAsync("pong:" + Encoding.UTF8.GetString(pong.ApplicationData.Span));
}
