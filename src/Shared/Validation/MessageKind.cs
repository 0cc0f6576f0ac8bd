namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>The native kinds of incoming message; an endpoint has at most one [OnMessage] method per kind.</summary>
internal enum MessageKind
{
    Text,
    Binary,
    Pong,
}
