namespace Annotated.WebSockets.Protocol;

/// The two data message kinds; the values are the RFC 6455 opcodes so a kind can be written to the wire as is.
internal enum WebSocketMessageKind : byte
{
    Text = 1,
    Binary = 2,
}
