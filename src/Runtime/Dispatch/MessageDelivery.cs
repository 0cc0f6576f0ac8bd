namespace Annotated.WebSockets.Dispatch;

/// <summary>How an endpoint takes the messages of one native kind (text or binary).</summary>
public enum MessageDelivery
{
    /// <summary>The endpoint has no handler for this kind; such a message closes the session with 1003.</summary>
    None = 0,

    /// <summary>Whole messages, buffered by the session up to the message size limit.</summary>
    Whole = 1,

    /// <summary>Parts as they arrive, each with a flag telling whether it is the last; not size-limited.</summary>
    Partial = 2,

    /// <summary>A stream (<see cref="TextReader"/> or <see cref="Stream"/>) read while the message arrives.</summary>
    Stream = 3,
}
