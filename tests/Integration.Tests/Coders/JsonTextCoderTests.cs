using System.Text;
using System.Text.Json;

namespace Annotated.WebSockets.Integration.Tests.Coders;

/// <summary>The built-in JSON coder's UTF-8 forms: the same values and errors as its string forms, with no string made.</summary>
public class JsonTextCoderTests
{
    private readonly OrderJson _coder = new();

    [Fact]
    public void Decoding_UTF8_gives_what_decoding_the_string_gives()
    {
        const string json = """ {"Item":"crème brûlée €𝄞","Quantity":7}""";

        var fromUtf8 = _coder.Decode(new Utf8Text(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(new Order("crème brûlée €𝄞", 7), fromUtf8);
        Assert.Equal(_coder.Decode(json), fromUtf8);
    }

    [Fact]
    public void Encoding_to_UTF8_gives_the_bytes_of_the_string_form()
    {
        var order = new Order("crème €", 3);

        var utf8 = _coder.EncodeUtf8(order);

        Assert.Equal(Encoding.UTF8.GetBytes(_coder.Encode(order)), utf8.ToArray());
        Assert.Equal(order, JsonSerializer.Deserialize(utf8.Span, CoderJson.Default.Order));
    }

    [Fact]
    public void Invalid_JSON_in_UTF8_is_a_DecodeException_carrying_the_text()
    {
        var error = Assert.Throws<DecodeException>(() => _coder.Decode(new Utf8Text("{not json"u8.ToArray())));

        Assert.Equal("{not json", error.Text);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public void The_string_forms_go_through_the_UTF8_members_so_an_override_changes_both()
    {
        var coder = new UpperCaseItemJson();

        Assert.Equal(new Order("TEA", 1), coder.Decode("""{"Item":"tea","Quantity":1}"""));
        Assert.Equal("""{"Item":"tea!","Quantity":1}""", coder.Encode(new Order("tea", 1)));
    }

    [Fact]
    public void A_string_with_a_lone_surrogate_is_not_JSON_text()
    {
        const string broken = "{\"Item\":\"\uD800\",\"Quantity\":1}";

        Assert.False(_coder.WillDecode(broken));
        var error = Assert.Throws<DecodeException>(() => _coder.Decode(broken));
        Assert.Equal(broken, error.Text);
    }

    [Theory]
    [InlineData(" \t\r\n{", true)]
    [InlineData("[1]", true)]
    [InlineData("\"s\"", true)]
    [InlineData("-1", true)]
    [InlineData("7", true)]
    [InlineData("true", true)]
    [InlineData("null", true)]
    [InlineData("hello", false)]
    [InlineData("   ", false)]
    [InlineData("", false)]
    [InlineData("\uFEFF{}", false)]   // a byte order mark is not JSON whitespace, in either form
    public void WillDecode_looks_at_the_first_non_whitespace_byte_like_the_string_form(string text, bool expected)
    {
        Assert.Equal(expected, _coder.WillDecode(new Utf8Text(text)));
        Assert.Equal(expected, _coder.WillDecode(text));
    }

    /// <summary>Changes only the UTF-8 members.</summary>
    private sealed class UpperCaseItemJson() : JsonTextCoder<Order>(CoderJson.Default.Order)
    {
        public override Order Decode(Utf8Text text)
        {
            var order = base.Decode(text);
            return order with { Item = order.Item.ToUpperInvariant() };
        }

        public override Utf8Text EncodeUtf8(Order value) => base.EncodeUtf8(value with { Item = value.Item + "!" });
    }
}
