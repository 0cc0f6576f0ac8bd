using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// The vectorised masking against a byte-by-byte reference, chunked at every boundary; the incremental UTF-8
/// validator against the framework's validator, fed one byte at a time.
public sealed class MaskingAndUtf8Tests
{
    [Fact]
    public void Masking_in_chunks_of_any_size_matches_the_scalar_definition()
    {
        var random = new Random(1234);
        byte[] keyBytes = [0x12, 0x34, 0x56, 0x78];
        int key = BitConverter.ToInt32(keyBytes);
        for (int length = 0; length < 300; length += 7)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            byte[] expected = data.Select((b, i) => (byte)(b ^ keyBytes[i % 4])).ToArray();
            for (int chunk = 1; chunk <= 70; chunk += 3)
            {
                byte[] actual = (byte[])data.Clone();
                int offset = 0;
                for (int start = 0; start < length; start += chunk)
                {
                    offset = Masking.Apply(actual.AsSpan(start, Math.Min(chunk, length - start)), key, offset);
                }

                Assert.Equal(expected, actual);
                Assert.Equal(length & 3, offset);
            }
        }
    }

    [Theory]
    [InlineData("plain ascii")]
    [InlineData("κόσμε")]
    [InlineData("€ 🎉 \uFFFF \u0080 \U0010FFFF")]
    public void Valid_text_is_accepted_one_byte_at_a_time(string text)
    {
        var validator = default(Utf8Validator);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            Assert.True(validator.Append([b]));
        }

        Assert.True(validator.IsComplete);
    }

    [Fact]
    public void The_validator_agrees_with_the_framework_on_random_bytes_and_reports_pending_bytes()
    {
        var random = new Random(99);
        byte[] pool = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xE1, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x90, 0xA0, 0x8F];
        for (int round = 0; round < 5000; round++)
        {
            byte[] data = Enumerable.Range(0, random.Next(1, 8)).Select(_ => pool[random.Next(pool.Length)]).ToArray();
            var validator = default(Utf8Validator);
            int split = random.Next(data.Length + 1);
            bool ok = validator.Append(data.AsSpan(0, split)) && validator.Append(data.AsSpan(split));
            bool expected = System.Text.Unicode.Utf8.IsValid(data);
            Assert.Equal(expected, ok && validator.IsComplete);
            if (ok && !validator.IsComplete)
            {
                // The valid prefix without the pending bytes is complete UTF-8.
                Assert.True(System.Text.Unicode.Utf8.IsValid(data.AsSpan(0, data.Length - validator.PendingBytes)));
            }
        }
    }

    [Fact]
    public void The_validator_fails_at_the_first_invalid_byte()
    {
        var validator = default(Utf8Validator);
        Assert.True(validator.Append([0xCE, 0xBA]));
        Assert.True(validator.Append([0xE1]));
        Assert.False(validator.Append([0x41]));   // a lead byte where a continuation must come
    }
}
