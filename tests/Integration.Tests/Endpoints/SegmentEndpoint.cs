namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Whole binary as <see cref="ArraySegment{T}"/>: answers with the length and the first byte.</summary>
[ServerEndpoint("/it/segment")]
public sealed class SegmentEndpoint
{
    [OnMessage]
    public string Binary(ArraySegment<byte> data) => $"{data.Count}:{data[0]}";
}
