namespace Annotated.WebSockets;

/// <summary>
/// An endpoint cannot be deployed: its path is malformed, two endpoints claim equivalent paths, or its
/// configuration is unusable. Thrown at start-up by <c>MapAnnotatedWebSockets()</c>, in which case no
/// endpoint of the application is served.
/// </summary>
public class DeploymentException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and where.</param>
    public DeploymentException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    /// <param name="message">What is wrong and where.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DeploymentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
