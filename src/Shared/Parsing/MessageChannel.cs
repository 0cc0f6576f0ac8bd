namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>The native message kind a message handler takes; an endpoint has at most one handler per kind.</summary>
internal enum MessageChannel
{
    /// <summary>Not a message handler.</summary>
    None,

    /// <summary>Text messages.</summary>
    Text,

    /// <summary>Binary messages.</summary>
    Binary,

    /// <summary>Pongs.</summary>
    Pong,
}
