using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>A command decoded from text.</summary>
public sealed record Command(string Name);

/// <summary>A command decoded from binary.</summary>
public sealed record BinaryCommand(byte First);

/// <summary>A reply encoded as text.</summary>
public sealed record Reply(string Text);

/// <summary>A reply encoded by writing to the message stream.</summary>
public sealed record StreamReply(string Text);

/// <summary>
/// Decodes any text as a <see cref="Command"/>, except: <c>willdecode-throws</c> (WillDecode throws),
/// <c>decode-throws</c> (Decode throws) and <c>refuse</c> (WillDecode answers false).
/// </summary>
public sealed class FaultyCommandDecoder : ITextDecoder<Command>
{
    public bool WillDecode(string text) => text switch
    {
        "willdecode-throws" => throw new InvalidOperationException("WillDecode failed"),
        "refuse" => false,
        _ => true,
    };

    public Command Decode(string text) =>
        text == "decode-throws" ? throw new InvalidDataException("Decode failed") : new Command(text);
}

/// <summary>Decodes binary messages; a message starting with 0xFF makes Decode throw.</summary>
public sealed class FaultyBinaryCommandDecoder : IBinaryDecoder<BinaryCommand>
{
    public bool WillDecode(ReadOnlyMemory<byte> data) => !data.IsEmpty;

    public BinaryCommand Decode(ReadOnlyMemory<byte> data) =>
        data.Span[0] == 0xFF ? throw new InvalidDataException("binary Decode failed") : new BinaryCommand(data.Span[0]);
}

/// <summary>Encodes a <see cref="Reply"/> as its text, except that the text <c>boom</c> makes it throw.</summary>
public sealed class FaultyReplyEncoder : ITextEncoder<Reply>
{
    public string Encode(Reply value) =>
        value.Text == "boom" ? throw new ArithmeticException("Encode failed") : "reply:" + value.Text;
}

/// <summary>
/// Writes part of a <see cref="StreamReply"/> to the message stream and then fails; for the text <c>flushed</c> it
/// flushes first, so that part has already left as a fragment when it fails.
/// </summary>
public sealed class FaultyStreamReplyEncoder : IBinaryStreamEncoder<StreamReply>
{
    public async ValueTask EncodeAsync(StreamReply value, Stream stream)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes("partial:" + value.Text));
        if (value.Text == "flushed")
        {
            await stream.FlushAsync();
        }

        throw new IOException("stream Encode failed midway");
    }
}

/// <summary>An encoder whose Init and Destroy throw (the session must still open, run and close).</summary>
public sealed class FailingLifecycleEncoder : ITextEncoder<Uri>
{
    public void Init(EndpointConfig config) => throw new InvalidOperationException("Init failed");

    public void Destroy() => throw new InvalidOperationException("Destroy failed");

    public string Encode(Uri value) => value.ToString();
}
