namespace Annotated.WebSockets;

/// <summary>
/// A problem of the connection rather than of the application's code: the peer broke the protocol, sent
/// data the session could not accept, or the transport failed. It is delivered to the endpoint's
/// <see cref="OnErrorAttribute"/> method before the session's close handler runs.
/// </summary>
public class SessionException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    /// <param name="session">The session it happened in, if known.</param>
    public SessionException(string message, Exception? innerException, WebSocketSession? session)
        : base(message, innerException) => Session = session;

    /// <summary>The session the problem happened in, or null when it is not known.</summary>
    public WebSocketSession? Session { get; }
}
