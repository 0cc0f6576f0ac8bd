using System.Text;

namespace Annotated.WebSockets.Testing;

/// <summary>What a test client can receive: a whole message, a pong, or the end of the connection.</summary>
public enum ReceivedKind
{
    /// <summary>A text message.</summary>
    Text,

    /// <summary>A binary message.</summary>
    Binary,

    /// <summary>A pong (the answer to a ping, or one the server sent unasked).</summary>
    Pong,

    /// <summary>The session closed: the server's close frame, or a connection that ended without one (1006).</summary>
    Close,
}

/// <summary>One entry of a test client's inbox, in the order it arrived.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Data">The payload: the UTF-8 bytes of a text message, a binary message's bytes, a pong's application data; empty for a close.</param>
/// <param name="CloseReason">For <see cref="ReceivedKind.Close"/>, the code and reason the client's session closed with.</param>
public sealed record ReceivedMessage(ReceivedKind Kind, ReadOnlyMemory<byte> Data, CloseReason? CloseReason = null)
{
    /// <summary>The payload as text (UTF-8).</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);

    /// <summary>One line for a transcript: the kind, then the payload (shortened) or the close code and reason.</summary>
    /// <returns>The line.</returns>
    public override string ToString() => Kind switch
    {
        ReceivedKind.Text => $"text \"{Transcript.Shorten(Text)}\"",
        ReceivedKind.Binary => $"binary {Data.Length} bytes {Transcript.Hex(Data.Span)}",
        ReceivedKind.Pong => $"pong {Data.Length} bytes {Transcript.Hex(Data.Span)}",
        _ => $"close {(int)CloseReason!.Code} ({CloseReason.Code}) \"{CloseReason.ReasonPhrase}\"",
    };
}
