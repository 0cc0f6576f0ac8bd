namespace Annotated.WebSockets;

/// <summary>
/// Marks a method that handles incoming messages of one native kind: text, binary or pong. The message
/// parameter's type selects the kind; a non-void result is sent back to the peer.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = true, AllowMultiple = false)]
public sealed class OnMessageAttribute : Attribute
{
    /// <summary>
    /// The largest whole message, in bytes (UTF-8 bytes for text), this method accepts; -1 (the default)
    /// means no maximum is configured here and the session's limit applies. A larger message closes the
    /// session with 1009 (too big). Values above <see cref="int.MaxValue"/> are a compile-time error.
    /// </summary>
    public long MaxMessageSize { get; set; } = -1;

    /// <summary>
    /// The name of a message rate-limit policy of the server's options
    /// (<c>options.AddMessageRateLimitPolicy(name, …)</c>) that every message of this method's kind (text, binary or
    /// pong) takes a token from, in each session on its own; null (the default) for none. It applies after the
    /// endpoint's <see cref="ServerEndpointAttribute.RateLimitPolicy"/>, if any. A name no policy has is a deployment
    /// error at start-up; an empty name is a compile-time error. Client endpoints have no rate limits.
    /// </summary>
    public string? RateLimitPolicy { get; set; }
}
