using System.Text;

namespace Annotated.WebSockets.Runtime.Tests.Endpoints;

/// <summary><see cref="Utf8Text"/>: always valid UTF-8, compared by its bytes, decoded only when asked.</summary>
public class Utf8TextTests
{
    [Fact]
    public void Bytes_are_checked_and_kept_without_a_copy()
    {
        var bytes = Encoding.UTF8.GetBytes("añ€𝄞");
        ReadOnlyMemory<byte> memory = bytes;

        var text = new Utf8Text(memory);

        Assert.True(text.Memory.Span == memory.Span);   // the same memory, not a copy
        Assert.Equal(10, text.Length);
        Assert.Equal("añ€𝄞", text.ToString());
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]                  // a lead byte followed by no continuation
    [InlineData(new byte[] { 0xE2, 0x82 })]                  // a sequence cut short at the end
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]            // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })]                  // an overlong form
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })]      // above U+10FFFF
    public void Invalid_UTF8_is_refused_with_ArgumentException(byte[] bytes)
    {
        var error = Assert.Throws<ArgumentException>(() => new Utf8Text(bytes));

        Assert.Equal("utf8", error.ParamName);
    }

    [Fact]
    public void A_string_is_encoded_and_a_lone_surrogate_is_refused()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("x€"), new Utf8Text("x€").ToArray());

        var error = Assert.Throws<ArgumentException>(() => new Utf8Text("a\uD800b"));
        Assert.Equal("text", error.ParamName);
        Assert.Throws<ArgumentNullException>(() => new Utf8Text((string)null!));
    }

    [Fact]
    public void Equality_is_by_bytes_and_default_is_the_empty_text()
    {
        var a = new Utf8Text("same");
        var b = new Utf8Text(Encoding.UTF8.GetBytes("xsame").AsMemory(1));

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != new Utf8Text("Same"));
        Assert.False(a.Equals((object)"same"));
        Assert.True(default(Utf8Text).IsEmpty);
        Assert.Equal(Utf8Text.Empty, new Utf8Text(ReadOnlyMemory<byte>.Empty));
        Assert.Equal(string.Empty, default(Utf8Text).ToString());
    }
}
