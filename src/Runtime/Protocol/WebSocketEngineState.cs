namespace Annotated.WebSockets.Protocol;

/// The life cycle of a connection as the engine sees it.
internal enum WebSocketEngineState
{
    /// Both directions open.
    Open,

    /// We sent our close frame and wait for the peer's.
    CloseSent,

    /// The peer's close frame arrived and our answer is on its way.
    CloseReceived,

    /// The close handshake finished (or the engine failed the connection after sending its close frame).
    Closed,

    /// The transport was torn down without a complete close handshake.
    Aborted,
}
