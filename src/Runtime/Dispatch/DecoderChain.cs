namespace Annotated.WebSockets.Dispatch;

/// The decoders of one session that make a <typeparamref name="T"/> (their type is assignable to it), in registration
/// order, behind a message handler of <typeparamref name="T"/>: what the generated code does for an annotated handler of a
/// decoded type. Whole messages go to the first decoder whose WillDecode takes them (stream decoders take every message,
/// reading it from a <see cref="StringReader"/> or <see cref="MemoryStream"/>); when every decoder reads a stream the
/// message is streamed to the first one while it arrives. A message no decoder takes, or a decoder's failure, is a
/// <see cref="DecodeException"/> for OnError; the handler's own exceptions go there unchanged.
internal sealed class DecoderChain<T>
{
    private readonly (DecoderRegistration Registration, ICoder Instance)[] _decoders;
    private readonly Func<T, ValueTask> _handler;

    public DecoderChain(List<(DecoderRegistration, ICoder)> decoders, Func<T, ValueTask> handler)
    {
        _decoders = [.. decoders];
        _handler = handler;
        var text = decoders.Count(static d => d.Item1.IsText);
        if (text != 0 && text != decoders.Count)
        {
            var textDecoder = decoders.First(static d => d.Item1.IsText).Item1;
            var binaryDecoder = decoders.First(static d => !d.Item1.IsText).Item1;
            throw new ArgumentException(
                $"A message handler of {typeof(T).FullName} would take text messages (decoder '{textDecoder.CoderType.FullName}') and binary ones (decoder '{binaryDecoder.CoderType.FullName}'); a handler takes one kind: use a narrower type.",
                "handler");
        }

        IsText = text != 0;
    }

    private bool IsText { get; }

    private bool IsStream => _decoders.All(static d => d.Registration.IsStream);

    public MessageHandler CreateHandler()
    {
        var type = typeof(T);
        if (IsStream)
        {
            var (first, instance) = _decoders[0];
            return IsText
                ? MessageHandler.Decoding(type, MessageDelivery.Stream, onTextStream: reader => DeliverAsync(first.DecodeAsync(instance, reader), first, text: true))
                : MessageHandler.Decoding(type, MessageDelivery.Stream, onBinaryStream: stream => DeliverAsync(first.DecodeAsync(instance, stream), first, text: false));
        }

        if (!IsText)
        {
            return MessageHandler.Decoding(type, MessageDelivery.Whole, onBinary: (data, _) => DecodeBinaryAsync(data));
        }

        return _decoders.Any(static d => d.Registration.Form == CoderForm.Utf8Text)
            ? MessageHandler.Decoding(type, MessageDelivery.Whole, onUtf8Text: text => DecodeTextAsync(new TextMessage(text)))
            : MessageHandler.Decoding(type, MessageDelivery.Whole, onText: (text, _) => DecodeTextAsync(new TextMessage(text)));
    }

    private ValueTask DecodeTextAsync(TextMessage message) => DecodeAsync(
        message,
        static (decoder, instance, text) => decoder.WillDecode(instance, text),
        static (decoder, instance, text) => decoder.DecodeAsync(instance, text),
        static (text, reason, error) => new DecodeException(text.Text, reason, error));

    private ValueTask DecodeBinaryAsync(ReadOnlyMemory<byte> data) => DecodeAsync(
        data,
        static (decoder, instance, bytes) => decoder.WillDecode(instance, bytes),
        static (decoder, instance, bytes) => decoder.DecodeAsync(instance, bytes),
        static (bytes, reason, error) => new DecodeException(bytes, reason, error));

    // The first decoder whose WillDecode takes the message decodes it; the handler gets the value outside the try, so
    // its own exceptions reach OnError unchanged.
    private async ValueTask DecodeAsync<TMessage>(
        TMessage message,
        Func<DecoderRegistration, ICoder, TMessage, bool> willDecode,
        Func<DecoderRegistration, ICoder, TMessage, ValueTask<object?>> decode,
        Func<TMessage, string, Exception?, DecodeException> failed)
    {
        object? value = null;
        DecoderRegistration? taken = null;
        try
        {
            foreach (var (registration, instance) in _decoders)
            {
                if (willDecode(registration, instance, message))
                {
                    taken = registration;
                    value = await decode(registration, instance, message).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not DecodeException)
        {
            throw failed(message, Failure(taken, ex), ex);
        }

        if (taken is null)
        {
            throw failed(message, $"No decoder accepted the message for {typeof(T).FullName}.", null);
        }

        await _handler((T)value!).ConfigureAwait(false);
    }

    // A streamed message: the decoder read it while it arrived, so there is no text or data to put in the exception.
    private async ValueTask DeliverAsync(ValueTask<object?> decoding, DecoderRegistration decoder, bool text)
    {
        object? value;
        try
        {
            value = await decoding.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not DecodeException)
        {
            throw text
                ? new DecodeException(string.Empty, Failure(decoder, ex), ex)
                : new DecodeException(ReadOnlyMemory<byte>.Empty, Failure(decoder, ex), ex);
        }

        await _handler((T)value!).ConfigureAwait(false);
    }

    private static string Failure(DecoderRegistration? decoder, Exception error) =>
        decoder is null
            ? $"A decoder failed to tell whether it takes the message for {typeof(T).FullName}: {error.Message}"
            : $"The decoder {decoder.CoderType.FullName} failed to decode the message for {typeof(T).FullName}: {error.Message}";
}
