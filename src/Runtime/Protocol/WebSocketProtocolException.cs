namespace Annotated.WebSockets.Protocol;

/// A rule of RFC 6455 / RFC 7692 the peer broke (or the engine's limits it exceeded). The engine never lets it
/// escape the connection loop: it sends a close frame with <see cref="CloseCode"/> and reports it in the Close event.
internal sealed class WebSocketProtocolException : Exception
{
    public WebSocketProtocolException(ushort closeCode, string message)
        : base(message)
    {
        CloseCode = closeCode;
    }

    public ushort CloseCode { get; }
}
