namespace Annotated.WebSockets.Protocol;

/// Which end of the connection the engine plays. It decides the masking rules of RFC 6455 §5.1:
/// a client masks every frame it sends, a server never does, and each rejects the other's mistake with 1002.
internal enum WebSocketRole
{
    Server,
    Client,
}
