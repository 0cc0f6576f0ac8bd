namespace Annotated.WebSockets;

/// <summary>
/// An incoming message was larger than the limit that applies to it (the handler's
/// <see cref="OnMessageAttribute.MaxMessageSize"/>, else the session's buffer size). The session is closed
/// with <see cref="CloseCode.TooBig"/> (1009); the error handler receives this exception first, and the
/// close handler then sees 1009.
/// </summary>
public sealed class MessageTooBigException : SessionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    /// <param name="session">The session it happened in, if known.</param>
    public MessageTooBigException(string message, Exception? innerException, WebSocketSession? session)
        : base(message, innerException, session)
    {
    }
}
