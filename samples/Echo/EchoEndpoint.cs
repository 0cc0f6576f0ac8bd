using Annotated.WebSockets;

namespace Annotated.Samples.Echo;

/// <summary>
/// Sends every text and binary message back unchanged. Conformance, interop and load tests aim at it, so it
/// does nothing else: the returned value is what the runtime sends back. Text is taken as <see cref="Utf8Text"/>:
/// the bytes the runtime received (and validated) go back out as they are, with no UTF-16 string in between,
/// which is the same work a raw WebSocket echo loop does.
/// </summary>
[ServerEndpoint("/echo")]
public sealed class EchoEndpoint
{
    /// <summary>Echoes a text message; the runtime sends the returned bytes before its buffer is reused.</summary>
    [OnMessage]
    public Utf8Text Text(Utf8Text message) => message;

    /// <summary>Echoes a binary message; the runtime sends the returned bytes before the buffer is reused.</summary>
    [OnMessage]
    public ReadOnlyMemory<byte> Binary(ReadOnlyMemory<byte> data) => data;
}
