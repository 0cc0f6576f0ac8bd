namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>A service only dependency injection can supply.</summary>
public sealed class Greeting(string text)
{
    public string Text { get; } = text;
}

/// <summary>A client endpoint with a constructor dependency: the generated factory takes it from the container's services.</summary>
[ClientEndpoint]
public sealed class InjectedClientEndpoint(Greeting greeting) : IDisposable
{
    public EventLog Events { get; } = new();

    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync(greeting.Text);

    [OnMessage]
    public void Text(string text) => Events.Add($"text:{text}");

    [OnClose]
    public void Close(CloseReason reason) => Events.Add($"close:{(int)reason.Code}");

    public void Dispose() => Events.Add("disposed");
}
