using System.Text;

namespace Annotated.WebSockets.Soak;

/// <summary>
/// Message contents of mixed sizes: a header naming the client and message number (so a lost, duplicated or
/// reordered echo never matches) followed by a slice of a fixed random block, ASCII and multi-byte characters for
/// text, any bytes for binary.
/// </summary>
internal static class Payloads
{
    private const int BlockLength = 256 * 1024;

    // Mixed UTF-8 widths, all in the Basic Multilingual Plane, so any slice of the string is valid UTF-16.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;éüßçø€中文字ラ";

    private static readonly string s_text = CreateText();
    private static readonly byte[] s_binary = CreateBinary();

    /// <summary>A length: mostly small, sometimes up to 64 K, rarely up to 256 K (characters or bytes).</summary>
    public static int NextLength(Random random) => random.Next(100) switch
    {
        < 50 => random.Next(0, 64),
        < 85 => random.Next(64, 4096),
        < 98 => random.Next(4096, 64 * 1024),
        _ => random.Next(64 * 1024, BlockLength),
    };

    public static byte[] Text(string header, int length, Random random)
    {
        var start = random.Next(0, BlockLength - length + 1);
        return Encoding.UTF8.GetBytes(string.Concat(header, s_text.AsSpan(start, length)));
    }

    public static byte[] Binary(string header, int length, Random random)
    {
        var start = random.Next(0, BlockLength - length + 1);
        var message = new byte[header.Length + length];
        Encoding.ASCII.GetBytes(header, message);
        s_binary.AsSpan(start, length).CopyTo(message.AsSpan(header.Length));
        return message;
    }

    private static string CreateText()
    {
        var random = new Random(17);
        return string.Create(BlockLength, random, static (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[random.Next(Alphabet.Length)];
            }
        });
    }

    private static byte[] CreateBinary()
    {
        var bytes = new byte[BlockLength];
        new Random(23).NextBytes(bytes);
        return bytes;
    }
}
