namespace Annotated.WebSockets.Testing;

/// <summary>An expectation of a test client failed; the message ends with the connection's transcript.</summary>
public sealed class WebSocketExpectationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what happened.</param>
    /// <param name="transcript">The client's transcript, appended to the message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WebSocketExpectationException(string message, Transcript transcript, Exception? innerException = null)
        : base(message + "\nTranscript:\n" + transcript, innerException)
    {
        Transcript = transcript;
    }

    /// <summary>The client's transcript when the expectation failed.</summary>
    public Transcript Transcript { get; }
}
