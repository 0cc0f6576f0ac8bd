namespace Annotated.WebSockets.Protocol;

/// What a <see cref="WebSocketEvent"/> carries.
internal enum WebSocketEventKind : byte
{
    Text,
    Binary,
    Ping,
    Pong,
    Close,
}
