namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>Which method attribute made a method a handler.</summary>
internal enum HandlerRole
{
    /// <summary><c>[OnOpen]</c>.</summary>
    Open,

    /// <summary><c>[OnMessage]</c>.</summary>
    Message,

    /// <summary><c>[OnClose]</c>.</summary>
    Close,

    /// <summary><c>[OnError]</c>.</summary>
    Error,
}
