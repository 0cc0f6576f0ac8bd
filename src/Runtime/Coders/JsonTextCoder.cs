using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;

namespace Annotated.WebSockets;

/// <summary>
/// A text decoder and encoder of <typeparamref name="T"/> as JSON with System.Text.Json. It takes the type's
/// <see cref="JsonTypeInfo{T}"/>, normally from a source-generated <c>JsonSerializerContext</c>, so JSON endpoints
/// stay trimming- and Native-AOT-clean: <c>sealed class OrderJson() : JsonTextCoder&lt;Order&gt;(AppJson.Default.Order);</c>
/// then <c>[ServerEndpoint("/orders", Decoders = [typeof(OrderJson)], Encoders = [typeof(OrderJson)])]</c>.
/// Messages are read and written as UTF-8 (<see cref="IUtf8TextDecoder{T}"/>, <see cref="IUtf8TextEncoder{T}"/>),
/// the form System.Text.Json works in, so no UTF-16 string is made on the way in or out. The UTF-8 members
/// (<see cref="WillDecode(Utf8Text)"/>, <see cref="Decode(Utf8Text)"/>, <see cref="EncodeUtf8"/>) are the ones to
/// override; the string members convert and call them, so both forms always agree.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public abstract class JsonTextCoder<T> : ITextDecoder<T>, ITextEncoder<T>, IUtf8TextDecoder<T>, IUtf8TextEncoder<T>, IJsonCoder
{
    private readonly JsonTypeInfo<T> _typeInfo;

    /// <summary>Creates the coder.</summary>
    /// <param name="typeInfo">The serialization metadata of <typeparamref name="T"/>.</param>
    protected JsonTextCoder(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _typeInfo = typeInfo;
    }

    /// <summary>The serialization metadata of <typeparamref name="T"/> the coder was created with.</summary>
    public JsonTypeInfo JsonTypeInfo => _typeInfo;

    /// <summary>
    /// Whether the text may be JSON, judged by <see cref="WillDecode(Utf8Text)"/> on its UTF-8 form (the one
    /// customization point). Text with a lone surrogate is not JSON.
    /// </summary>
    /// <param name="text">The message.</param>
    /// <returns>True when the text may be JSON.</returns>
    public bool WillDecode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryEncode(text, out var utf8) && WillDecode(utf8);
    }

    /// <summary>
    /// A cheap check that the UTF-8 text can be JSON: its first non-whitespace byte starts a JSON value. Whether it
    /// really is a <typeparamref name="T"/> is decided by <see cref="Decode(Utf8Text)"/>.
    /// </summary>
    /// <param name="text">The message.</param>
    /// <returns>True when the text may be JSON.</returns>
    public virtual bool WillDecode(Utf8Text text)
    {
        foreach (var b in text.Span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                return b is (byte)'{' or (byte)'[' or (byte)'"' or (byte)'-' or (byte)'t' or (byte)'f' or (byte)'n' or (>= (byte)'0' and <= (byte)'9');
            }
        }

        return false;
    }

    /// <summary>Deserializes the message from its UTF-8 bytes.</summary>
    /// <param name="text">The message.</param>
    /// <returns>The value (null only for the JSON literal <c>null</c>).</returns>
    /// <exception cref="DecodeException">The text is not valid JSON for <typeparamref name="T"/>.</exception>
    public virtual T Decode(Utf8Text text)
    {
        try
        {
            return JsonSerializer.Deserialize(text.Span, _typeInfo)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
        {
            throw new DecodeException(text.ToString(), $"The message is not a JSON {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    /// <summary>Deserializes the message with <see cref="Decode(Utf8Text)"/>, from its UTF-8 form.</summary>
    /// <param name="text">The message.</param>
    /// <returns>The value (null only for the JSON literal <c>null</c>).</returns>
    /// <exception cref="DecodeException">The text is not valid JSON for <typeparamref name="T"/>.</exception>
    public T Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryEncode(text, out var utf8)
            ? Decode(utf8)
            : throw new DecodeException(text, $"The message is not a JSON {typeof(T).Name}: it has a lone surrogate, which UTF-8 cannot encode.");
    }

    /// <summary>Serializes the value to UTF-8.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="EncodeException">The value cannot be serialized.</exception>
    public virtual Utf8Text EncodeUtf8(T value)
    {
        try
        {
            return new Utf8Text(JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo));
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new EncodeException(value, $"A {typeof(T).Name} could not be serialized to JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Serializes the value with <see cref="EncodeUtf8"/> and decodes the result into a string.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="EncodeException">The value cannot be serialized.</exception>
    public string Encode(T value) => EncodeUtf8(value).ToString();

    // False for a lone surrogate (what a peer cannot have sent as text, but a caller's string may hold).
    private static bool TryEncode(string text, out Utf8Text utf8)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        var status = Utf8.FromUtf16(text, bytes, out _, out var written, replaceInvalidSequences: false);
        utf8 = status == OperationStatus.Done ? Utf8Text.FromValidated(bytes.AsMemory(0, written)) : default;
        return status == OperationStatus.Done;
    }
}
