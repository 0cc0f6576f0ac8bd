namespace Annotated.WebSockets;

/// <summary>
/// The outcome of an asynchronous send, handed to the callback of an <see cref="IAsyncRemoteEndpoint"/>
/// callback overload (Jakarta WebSocket 2.2 <c>SendResult</c>).
/// </summary>
/// <param name="Session">The session the message was sent on, or null when it is not known.</param>
/// <param name="Exception">Why the send failed, or null when it succeeded.</param>
public sealed record SendResult(WebSocketSession? Session, Exception? Exception = null)
{
    /// <summary>Whether the message was sent (or, with batching allowed, added to the batch).</summary>
    public bool IsOk => Exception is null;
}
