namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// The endpoint of the realistic dispatch case: a handler that takes the session, the message and a converted path
/// parameter and returns a reply, which the container must send. What every container has to do per message for it
/// (find and convert the path parameter, call, look at the result, send it when there is one) is what
/// <see cref="DispatchBenchmarks"/> compares between the generated dispatcher and a reflective container.
/// </summary>
[ServerEndpoint("/rooms/{room}")]
public class RoomBenchEndpoint
{
    /// <summary>Sum of the lengths and rooms seen, so the JIT keeps every call.</summary>
    public long Total { get; private set; }

    /// <summary>The text handler: replies with the message itself (no new string, so only dispatch is measured).</summary>
    /// <param name="message">The whole text message.</param>
    /// <param name="session">The session it arrived on.</param>
    /// <param name="room">The <c>{room}</c> path segment, converted to an integer.</param>
    /// <returns>The reply to send.</returns>
    [OnMessage]
    public string OnText(string message, WebSocketSession session, [PathParam("room")] int room)
    {
        Total += message.Length + room;
        return message;
    }
}
