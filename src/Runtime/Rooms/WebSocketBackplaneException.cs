namespace Annotated.WebSockets;

/// <summary>
/// The backplane could not deliver to, or get an answer from, the other nodes in time (the broker is unreachable, or a
/// node did not answer). What was for this node's sessions was delivered before.
/// </summary>
public sealed class WebSocketBackplaneException : Exception
{
    /// <summary>Makes the exception.</summary>
    /// <param name="message">What failed and why.</param>
    public WebSocketBackplaneException(string message)
        : base(message)
    {
    }

    /// <summary>Makes the exception.</summary>
    /// <param name="message">What failed and why.</param>
    /// <param name="innerException">The broker's failure.</param>
    public WebSocketBackplaneException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
