namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>Whole binary as <see cref="ReadOnlyMemory{T}"/>: answers with the bytes reversed.</summary>
[ServerEndpoint("/it/memory")]
public sealed class MemoryEndpoint
{
    [OnMessage]
    public byte[] Binary(ReadOnlyMemory<byte> data)
    {
        var copy = data.ToArray();
        Array.Reverse(copy);
        return copy;
    }
}
