using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>A programmatic endpoint: on open it registers a text handler and says hello.</summary>
public sealed class ProgrammaticTestEndpoint : Endpoint
{
    public EventLog Events { get; } = new();

    public override async Task OnOpen(WebSocketSession session, EndpointConfig config)
    {
        var property = config is ClientEndpointConfig client && client.UserProperties.TryGetValue("tag", out var tag) ? tag : null;
        Events.Add($"open:{property}:{session.UserProperties.ContainsKey("tag")}");
        session.AddMessageHandler<string>(text => Events.Add($"text:{text}"));
        await session.BasicRemote.SendTextAsync("hello");
    }

    public override Task OnClose(WebSocketSession session, CloseReason closeReason)
    {
        Events.Add($"close:{(int)closeReason.Code}:{closeReason.ReasonPhrase}");
        return Task.CompletedTask;
    }

    public override Task OnError(WebSocketSession session, Exception error)
    {
        Events.Add($"error:{error.GetType().Name}");
        return Task.CompletedTask;
    }
}
