namespace Annotated.WebSockets;

/// <summary>An object could not be encoded into a message. The send fails; the session stays open.</summary>
public class EncodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="value">The object that could not be encoded.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public EncodeException(object? value, string message, Exception? innerException = null)
        : base(message, innerException) => Value = value;

    /// <summary>The object that could not be encoded.</summary>
    public object? Value { get; }
}
