namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Hex rendering of failing inputs so a failure report can be replayed by hand (capped so a decompression
/// bomb does not flood the log; the seed regenerates the full input anyway).
internal static class FuzzHex
{
    private const int MaxBytes = 4096;

    public static string Format(byte[] input) =>
        input.Length <= MaxBytes
            ? Convert.ToHexString(input)
            : Convert.ToHexString(input, 0, MaxBytes) + $"...(+{input.Length - MaxBytes} bytes)";
}
