using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>A service a programmatic endpoint takes in its constructor.</summary>
public sealed class Greeting
{
    public string Prefix { get; init; } = "hi ";
}

/// <summary>
/// A programmatic endpoint: registers handlers in OnOpen. Text "stream" swaps the text handler for a streamed one
/// (for the next message); "dup" tries a second text handler; binary parts are counted.
/// </summary>
public sealed class ProgrammaticEchoEndpoint(Greeting greeting) : Endpoint
{
    private MessageHandler? _text;
    private int _parts;

    public override Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        _text = session.AddMessageHandler<string>(text => OnTextAsync(session, text));
        session.AddMessageHandler<ReadOnlyMemory<byte>>((part, last) =>
        {
            _parts++;
            if (last)
            {
                var parts = _parts;
                _parts = 0;
                _ = session.AsyncRemote.SendTextAsync($"parts:{parts}");
            }
        });
        session.AddMessageHandler<PongMessage>(pong => session.BasicRemote.SendTextAsync("pong:" + Encoding.UTF8.GetString(pong.ApplicationData.Span)));
        return Task.CompletedTask;
    }

    public override Task OnError(WebSocketSession session, Exception error)
    {
        if (session.PathParameters.TryGetValue("test", out var test))
        {
            Recorder.For(test).Add($"error:{error.GetType().Name}");
        }

        return Task.CompletedTask;
    }

    public override Task OnClose(WebSocketSession session, CloseReason closeReason)
    {
        if (session.PathParameters.TryGetValue("test", out var test))
        {
            Recorder.For(test).Add($"close:{(int)closeReason.Code}");
        }

        return Task.CompletedTask;
    }

    private async Task OnTextAsync(WebSocketSession session, string text)
    {
        switch (text)
        {
            case "dup":
                try
                {
                    session.AddMessageHandler<TextReader>(_ => { });
                }
                catch (InvalidOperationException ex)
                {
                    await session.BasicRemote.SendTextAsync($"dup-rejected:{ex.Message.Contains("text", StringComparison.Ordinal)}:{session.MessageHandlers.Count}");
                }

                break;
            case "stream":
                session.RemoveMessageHandler(_text!);
                _text = session.AddMessageHandler<TextReader>(async reader =>
                {
                    var all = await reader.ReadToEndAsync();
                    await session.BasicRemote.SendTextAsync($"streamed:{all.Length}");
                });
                await session.BasicRemote.SendTextAsync($"swapped:{session.MessageHandlers.Count}");
                break;
            case "ping":
                await session.BasicRemote.SendPingAsync(Encoding.UTF8.GetBytes("p1"));
                break;
            case "throw":
                throw new FormatException("from handler");
            default:
                await session.BasicRemote.SendTextAsync(greeting.Prefix + text);
                break;
        }
    }
}
