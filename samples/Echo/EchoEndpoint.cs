using Annotated.WebSockets;

namespace Annotated.Samples.Echo;

/// <summary>
/// Sends every text and binary message back unchanged. Conformance, interop and load tests aim at it, so it
/// does nothing else: the returned value is what the runtime sends back.
/// </summary>
[ServerEndpoint("/echo")]
public sealed class EchoEndpoint
{
    /// <summary>Echoes a text message.</summary>
    [OnMessage]
    public string Text(string message) => message;

    /// <summary>Echoes a binary message; the runtime sends the returned bytes before the buffer is reused.</summary>
    [OnMessage]
    public ReadOnlyMemory<byte> Binary(ReadOnlyMemory<byte> data) => data;
}
