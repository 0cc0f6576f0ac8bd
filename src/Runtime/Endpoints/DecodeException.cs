namespace Annotated.WebSockets;

/// <summary>
/// A message or path parameter could not be converted to the type a handler asked for. It is delivered to
/// the endpoint's <see cref="OnErrorAttribute"/> method; the session stays open.
/// </summary>
public class DecodeException : Exception
{
    /// <summary>Creates the exception for undecodable text.</summary>
    /// <param name="text">The text that could not be decoded.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DecodeException(string text, string message, Exception? innerException = null)
        : base(message, innerException) => Text = text;

    /// <summary>Creates the exception for undecodable binary data.</summary>
    /// <param name="bytes">The bytes that could not be decoded; the exception keeps a copy.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DecodeException(ReadOnlyMemory<byte> bytes, string message, Exception? innerException = null)
        : base(message, innerException) => Bytes = bytes.ToArray();   // a copy: the caller's buffer is reused for the next message

    /// <summary>The undecodable text, or null when the data was binary.</summary>
    public string? Text { get; }

    /// <summary>The undecodable bytes, or null when the data was text.</summary>
    public ReadOnlyMemory<byte>? Bytes { get; }
}
