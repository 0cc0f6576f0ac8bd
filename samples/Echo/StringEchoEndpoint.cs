using Annotated.WebSockets;

namespace Annotated.Samples.Echo;

/// <summary>
/// The same echo with text as <see cref="string"/>, the classic Jakarta shape: each text message is decoded into a
/// string and encoded again on the way back. The load tool measures it beside <see cref="EchoEndpoint"/> to show
/// what the UTF-16 round trip costs (docs/PERFORMANCE.md).
/// </summary>
[ServerEndpoint("/echo/string")]
public sealed class StringEchoEndpoint
{
    /// <summary>Echoes a text message.</summary>
    [OnMessage]
    public string Text(string message) => message;

    /// <summary>Echoes a binary message; the runtime sends the returned bytes before the buffer is reused.</summary>
    [OnMessage]
    public ReadOnlyMemory<byte> Binary(ReadOnlyMemory<byte> data) => data;
}
