namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>A client endpoint that takes text as <see cref="Utf8Text"/> and records its byte length and text.</summary>
[ClientEndpoint]
public sealed class Utf8TextClientEndpoint
{
    public EventLog Events { get; } = new();

    [OnMessage]
    public void Text(Utf8Text text) => Events.Add($"utf8:{text.Length}:{text}");
}
