namespace Annotated.WebSockets;

/// The native message kind a <see cref="MessageHandler"/> takes; a session holds at most one handler per kind.
internal enum MessageHandlerKind
{
    Text,
    Binary,
    Pong,
}
