using System.Runtime.InteropServices;

namespace Annotated.WebSockets;

/// Which coder interface of its type a registered coder is used through: the first one it implements of UTF-8 text,
/// text, text stream (all text), then binary, binary stream (all binary), as the generated code chooses.
internal enum CoderForm
{
    Utf8Text,
    Text,
    TextStream,
    Binary,
    BinaryStream,
}

/// The form of a registered coder, found from its interfaces with the types the registration names (no reflection over
/// interfaces: <c>typeof(ITextDecoder&lt;T&gt;).IsAssignableFrom</c> is a type check, trimming- and AOT-safe).
internal static class CoderForms
{
    public static (CoderForm Form, bool AlsoBinary) OfDecoder<TDecoder, T>() => Find(
        typeof(TDecoder),
        typeof(T),
        "decoder",
        [typeof(IUtf8TextDecoder<T>), typeof(ITextDecoder<T>), typeof(ITextStreamDecoder<T>), typeof(IBinaryDecoder<T>), typeof(IBinaryStreamDecoder<T>)]);

    public static (CoderForm Form, bool AlsoBinary) OfEncoder<TEncoder, T>() => Find(
        typeof(TEncoder),
        typeof(T),
        "encoder",
        [typeof(IUtf8TextEncoder<T>), typeof(ITextEncoder<T>), typeof(ITextStreamEncoder<T>), typeof(IBinaryEncoder<T>), typeof(IBinaryStreamEncoder<T>)]);

    // The interfaces come in CoderForm order: three text ones, then two binary ones; the first implemented of each kind counts.
    private static (CoderForm, bool) Find(Type coder, Type value, string role, Type[] interfaces)
    {
        CoderForm? text = null, binary = null;
        for (var i = interfaces.Length - 1; i >= 0; i--)
        {
            if (interfaces[i].IsAssignableFrom(coder))
            {
                if ((CoderForm)i < CoderForm.Binary)
                {
                    text = (CoderForm)i;
                }
                else
                {
                    binary = (CoderForm)i;
                }
            }
        }

        var names = string.Join(", ", interfaces.Select(static face => face.Name[..face.Name.IndexOf('`', StringComparison.Ordinal)]));
        return (text ?? binary) is { } form
            ? (form, text is not null && binary is not null)
            : throw new ArgumentException($"'{coder.FullName}' is no {role} of '{value.FullName}': it implements none of {names} of that type.", role == "decoder" ? "TDecoder" : "TEncoder");
    }
}

/// One coder of an <see cref="EndpointCoders"/>: its class, the type it decodes or encodes, the interface it is used
/// through, and how a session's instance is made.
internal abstract class CoderRegistration((CoderForm Form, bool AlsoBinary) form, Type coderType, Type valueType)
{
    /// <summary>The coder class.</summary>
    public Type CoderType { get; } = coderType;

    /// <summary>The type the coder decodes into or encodes from.</summary>
    public Type ValueType { get; } = valueType;

    /// <summary>The interface the coder is used through.</summary>
    public CoderForm Form { get; } = form.Form;

    /// <summary>Whether the coder reads or writes text messages.</summary>
    public bool IsText => Form is CoderForm.Utf8Text or CoderForm.Text or CoderForm.TextStream;

    /// <summary>Whether the coder reads or writes a stream while the message goes.</summary>
    public bool IsStream => Form is CoderForm.TextStream or CoderForm.BinaryStream;

    /// <summary>Whether the coder also implements a binary interface of the type besides the text one it is used through.</summary>
    public bool IsTextAndBinary { get; } = form.AlsoBinary;

    /// <summary>"decoder" or "encoder", for messages.</summary>
    public abstract string Role { get; }

    /// <summary>Makes a session's instance.</summary>
    public abstract ICoder Create(IServiceProvider services);
}

/// A registered decoder. Each method is called with the session's instance of it, made by <see cref="CoderRegistration.Create"/>.
internal abstract class DecoderRegistration((CoderForm, bool) form, Type coderType, Type valueType) : CoderRegistration(form, coderType, valueType)
{
    public override string Role => "decoder";

    /// <summary>Whether the decoder takes the text message (stream decoders take every one).</summary>
    public abstract bool WillDecode(ICoder decoder, TextMessage message);

    /// <summary>Decodes a whole text message (a stream decoder reads it from a <see cref="StringReader"/>).</summary>
    public abstract ValueTask<object?> DecodeAsync(ICoder decoder, TextMessage message);

    /// <summary>Whether the decoder takes the binary message (stream decoders take every one).</summary>
    public abstract bool WillDecode(ICoder decoder, ReadOnlyMemory<byte> data);

    /// <summary>Decodes a whole binary message (a stream decoder reads it from a <see cref="MemoryStream"/>).</summary>
    public abstract ValueTask<object?> DecodeAsync(ICoder decoder, ReadOnlyMemory<byte> data);

    /// <summary>Decodes a text message read while it arrives; only for <see cref="CoderForm.TextStream"/>.</summary>
    public abstract ValueTask<object?> DecodeAsync(ICoder decoder, TextReader reader);

    /// <summary>Decodes a binary message read while it arrives; only for <see cref="CoderForm.BinaryStream"/>.</summary>
    public abstract ValueTask<object?> DecodeAsync(ICoder decoder, Stream stream);
}

internal sealed class DecoderRegistration<TDecoder, T>((CoderForm, bool) form, Func<IServiceProvider, TDecoder> factory)
    : DecoderRegistration(form, typeof(TDecoder), typeof(T))
    where TDecoder : class, ICoder
{
    public override ICoder Create(IServiceProvider services) =>
        factory(services) ?? throw new InvalidOperationException($"The factory of the decoder '{typeof(TDecoder).FullName}' returned null.");

    public override bool WillDecode(ICoder decoder, TextMessage message) => Form switch
    {
        CoderForm.Utf8Text => ((IUtf8TextDecoder<T>)decoder).WillDecode(message.Utf8),
        CoderForm.Text => ((ITextDecoder<T>)decoder).WillDecode(message.Text),
        _ => true,
    };

    public override async ValueTask<object?> DecodeAsync(ICoder decoder, TextMessage message) => Form switch
    {
        CoderForm.Utf8Text => ((IUtf8TextDecoder<T>)decoder).Decode(message.Utf8),
        CoderForm.Text => ((ITextDecoder<T>)decoder).Decode(message.Text),
        _ => await ((ITextStreamDecoder<T>)decoder).DecodeAsync(new StringReader(message.Text)).ConfigureAwait(false),
    };

    public override bool WillDecode(ICoder decoder, ReadOnlyMemory<byte> data) =>
        Form != CoderForm.Binary || ((IBinaryDecoder<T>)decoder).WillDecode(data);

    public override async ValueTask<object?> DecodeAsync(ICoder decoder, ReadOnlyMemory<byte> data) => Form == CoderForm.Binary
        ? ((IBinaryDecoder<T>)decoder).Decode(data)
        : await ((IBinaryStreamDecoder<T>)decoder).DecodeAsync(ReadOnlyStream(data)).ConfigureAwait(false);

    public override async ValueTask<object?> DecodeAsync(ICoder decoder, TextReader reader) =>
        await ((ITextStreamDecoder<T>)decoder).DecodeAsync(reader).ConfigureAwait(false);

    public override async ValueTask<object?> DecodeAsync(ICoder decoder, Stream stream) =>
        await ((IBinaryStreamDecoder<T>)decoder).DecodeAsync(stream).ConfigureAwait(false);

    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);
}

/// A registered encoder. Each method is called with the session's instance of it and a value of its type.
internal abstract class EncoderRegistration((CoderForm, bool) form, Type coderType, Type valueType) : CoderRegistration(form, coderType, valueType)
{
    public override string Role => "encoder";

    /// <summary>Whether the value is of the encoder's type.</summary>
    public abstract bool Accepts(object value);

    /// <summary>Encodes with <see cref="CoderForm.Utf8Text"/>.</summary>
    public abstract Utf8Text EncodeUtf8(ICoder encoder, object value);

    /// <summary>Encodes with <see cref="CoderForm.Text"/>.</summary>
    public abstract string EncodeText(ICoder encoder, object value);

    /// <summary>Encodes with <see cref="CoderForm.Binary"/>.</summary>
    public abstract ReadOnlyMemory<byte> EncodeBinary(ICoder encoder, object value);

    /// <summary>Encodes with <see cref="CoderForm.TextStream"/>.</summary>
    public abstract ValueTask EncodeAsync(ICoder encoder, object value, TextWriter writer);

    /// <summary>Encodes with <see cref="CoderForm.BinaryStream"/>.</summary>
    public abstract ValueTask EncodeAsync(ICoder encoder, object value, Stream stream);
}

internal sealed class EncoderRegistration<TEncoder, T>((CoderForm, bool) form, Func<IServiceProvider, TEncoder> factory)
    : EncoderRegistration(form, typeof(TEncoder), typeof(T))
    where TEncoder : class, ICoder
{
    public override ICoder Create(IServiceProvider services) =>
        factory(services) ?? throw new InvalidOperationException($"The factory of the encoder '{typeof(TEncoder).FullName}' returned null.");

    public override bool Accepts(object value) => value is T;

    public override Utf8Text EncodeUtf8(ICoder encoder, object value) => ((IUtf8TextEncoder<T>)encoder).EncodeUtf8((T)value);

    public override string EncodeText(ICoder encoder, object value) => ((ITextEncoder<T>)encoder).Encode((T)value);

    public override ReadOnlyMemory<byte> EncodeBinary(ICoder encoder, object value) => ((IBinaryEncoder<T>)encoder).Encode((T)value);

    public override ValueTask EncodeAsync(ICoder encoder, object value, TextWriter writer) => ((ITextStreamEncoder<T>)encoder).EncodeAsync((T)value, writer);

    public override ValueTask EncodeAsync(ICoder encoder, object value, Stream stream) => ((IBinaryStreamEncoder<T>)encoder).EncodeAsync((T)value, stream);
}

/// A whole text message for decoders: as the UTF-8 bytes it arrived in, or as a string, each made from the other once
/// when a decoder needs it (as the generated code gives one string to the string decoders of a UTF-8 chain).
internal sealed class TextMessage
{
    private readonly Utf8Text? _utf8;
    private string? _text;

    public TextMessage(Utf8Text utf8) => _utf8 = utf8;

    public TextMessage(string text) => _text = text;

    public string Text => _text ??= _utf8.GetValueOrDefault().ToString();

    public Utf8Text Utf8 => _utf8 ?? new Utf8Text(_text!);
}
