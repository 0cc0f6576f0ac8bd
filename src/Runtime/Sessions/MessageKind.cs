namespace Annotated.WebSockets;

/// <summary>The kind of a whole WebSocket data message (RFC 6455 §5.6).</summary>
public enum MessageKind
{
    /// <summary>A text message: UTF-8.</summary>
    Text = 1,

    /// <summary>A binary message.</summary>
    Binary = 2,
}
