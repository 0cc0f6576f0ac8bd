using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// One generated engine input plus everything needed to replay it: the seed regenerates the same case.
/// ExpectedCloseCode is set only when the generator produced a fully valid stream that ends in a close frame,
/// so the engine's answer is known exactly (an oracle, not just "did not crash").
internal sealed record FuzzCase(
    int Seed,
    WebSocketRole Role,
    bool Deflate,
    bool Partial,
    byte[] Input,
    ushort? ExpectedCloseCode,
    string Description)
{
    /// The read-chunking seed: derived from the case seed so a replay chunks identically.
    public int ChunkSeed => unchecked(Seed * 31 + 7);

    public override string ToString() =>
        $"seed={Seed} role={Role} deflate={Deflate} partial={Partial} expected={ExpectedCloseCode?.ToString() ?? "-"} " +
        $"kind={Description} length={Input.Length} hex={FuzzHex.Format(Input)}";
}
