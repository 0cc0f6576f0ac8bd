namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>The four method attributes; the validator checks each kind's parameters differently.</summary>
internal enum HandlerKind
{
    OnOpen,
    OnMessage,
    OnClose,
    OnError,
}
