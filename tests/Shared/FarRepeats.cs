namespace Annotated.WebSockets.Tests.Shared;

/// <summary>Test data for permessage-deflate windows.</summary>
internal static class FarRepeats
{
    /// <summary>
    /// A random 300-byte block that recurs 600 to 3,000 bytes later, with noise between: beyond a 9-bit window
    /// (512 bytes), within a 15-bit one, so a compressor that ignores a small agreed window makes references its peer's
    /// inflater cannot follow.
    /// </summary>
    public static byte[] Create(int length, int seed)
    {
        var random = new Random(seed);
        var block = new byte[300];
        random.NextBytes(block);
        var data = new byte[length];
        var i = 0;
        while (i < length)
        {
            var n = Math.Min(block.Length, length - i);
            block.AsSpan(0, n).CopyTo(data.AsSpan(i));
            i += n;
            var gap = Math.Min(random.Next(600, 3_000), length - i);
            random.NextBytes(data.AsSpan(i, gap));
            i += gap;
        }

        return data;
    }
}
