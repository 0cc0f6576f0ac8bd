using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets;

/// <summary>
/// A message handler registered on a session with <see cref="WebSocketSession.AddMessageHandler{T}(Action{T})"/>
/// and its overloads (Jakarta's <c>MessageHandler.Whole</c> / <c>.Partial</c>). Keep it to remove the handler again.
/// </summary>
/// <remarks>
/// Supported message types: text as <see cref="string"/> (whole or partial), <see cref="Utf8Text"/> (whole, valid only
/// while the handler runs) or <see cref="TextReader"/> (streamed);
/// binary as <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> of bytes, <see cref="ArraySegment{T}"/> of bytes (whole or
/// partial) or <see cref="Stream"/> (streamed); <see cref="PongMessage"/>. A <see cref="ReadOnlyMemory{T}"/> or
/// <see cref="ArraySegment{T}"/> argument is valid only while the handler runs. A whole-message handler of any other
/// type takes what the decoders of the endpoint's <see cref="EndpointConfig.Coders"/> make (so does one of
/// <see cref="TextReader"/> or <see cref="Stream"/> when a decoder makes them: the developer's decoder wins over the
/// built-in stream); its native kind is the kind its decoders read.
/// </remarks>
public sealed class MessageHandler
{
    private MessageHandler(Type messageType, bool isPartial, MessageHandlerKind kind, MessageDelivery delivery)
    {
        MessageType = messageType;
        IsPartial = isPartial;
        Kind = kind;
        Delivery = delivery;
    }

    /// <summary>The type of message the handler takes.</summary>
    public Type MessageType { get; }

    /// <summary>Whether the handler takes parts of messages with a flag for the last one.</summary>
    public bool IsPartial { get; }

    /// <summary>Which native message kind the handler takes; at most one handler per kind.</summary>
    internal MessageHandlerKind Kind { get; }

    /// <summary>How the session feeds it.</summary>
    internal MessageDelivery Delivery { get; }

    internal Func<string, bool, ValueTask>? OnText { get; private init; }

    internal Func<Utf8Text, ValueTask>? OnUtf8Text { get; private init; }

    internal Func<ReadOnlyMemory<byte>, bool, ValueTask>? OnBinary { get; private init; }

    internal Func<TextReader, ValueTask>? OnTextStream { get; private init; }

    internal Func<Stream, ValueTask>? OnBinaryStream { get; private init; }

    internal Func<PongMessage, ValueTask>? OnPong { get; private init; }

    /// <summary>Creates a handler of whole messages.</summary>
    internal static MessageHandler Whole<T>(Func<T, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var type = typeof(T);
        if (type == typeof(string))
        {
            return new(type, false, MessageHandlerKind.Text, MessageDelivery.Whole) { OnText = (text, _) => handler((T)(object)text) };
        }

        if (type == typeof(Utf8Text))
        {
            return new(type, false, MessageHandlerKind.Text, MessageDelivery.Whole) { OnUtf8Text = text => handler((T)(object)text) };
        }

        if (type == typeof(TextReader))
        {
            return new(type, false, MessageHandlerKind.Text, MessageDelivery.Stream) { OnTextStream = reader => handler((T)(object)reader) };
        }

        if (type == typeof(byte[]))
        {
            return new(type, false, MessageHandlerKind.Binary, MessageDelivery.Whole) { OnBinary = (data, _) => handler((T)(object)data.ToArray()) };
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return new(type, false, MessageHandlerKind.Binary, MessageDelivery.Whole) { OnBinary = (data, _) => handler((T)(object)data) };
        }

        if (type == typeof(ArraySegment<byte>))
        {
            return new(type, false, MessageHandlerKind.Binary, MessageDelivery.Whole) { OnBinary = (data, _) => handler((T)(object)ToSegment(data)) };
        }

        if (type == typeof(Stream))
        {
            return new(type, false, MessageHandlerKind.Binary, MessageDelivery.Stream) { OnBinaryStream = stream => handler((T)(object)stream) };
        }

        if (type == typeof(PongMessage))
        {
            return new(type, false, MessageHandlerKind.Pong, MessageDelivery.Whole) { OnPong = pong => handler((T)(object)pong) };
        }

        throw new ArgumentException(
            $"A message handler cannot take {type.FullName}: use string, Utf8Text, TextReader, byte[], ReadOnlyMemory<byte>, ArraySegment<byte>, Stream or PongMessage, or register a decoder of {type.Name} in the endpoint configuration's Coders.",
            nameof(handler));
    }

    /// <summary>
    /// Whether a whole-message handler of <paramref name="type"/> takes what decoders make: every type but the native
    /// ones the runtime delivers itself (a <see cref="TextReader"/> or <see cref="Stream"/> handler takes decoded values
    /// when a decoder makes them).
    /// </summary>
    internal static bool MayDecode(Type type) =>
        type != typeof(string) && type != typeof(Utf8Text) && type != typeof(byte[]) && type != typeof(ReadOnlyMemory<byte>)
        && type != typeof(ArraySegment<byte>) && type != typeof(PongMessage);

    /// <summary>Creates a handler of whole messages decoded into <paramref name="type"/> by the endpoint's decoders.</summary>
    internal static MessageHandler Decoding(
        Type type,
        MessageDelivery delivery,
        Func<string, bool, ValueTask>? onText = null,
        Func<Utf8Text, ValueTask>? onUtf8Text = null,
        Func<TextReader, ValueTask>? onTextStream = null,
        Func<ReadOnlyMemory<byte>, bool, ValueTask>? onBinary = null,
        Func<Stream, ValueTask>? onBinaryStream = null)
    {
        var text = onText is not null || onUtf8Text is not null || onTextStream is not null;
        return new(type, false, text ? MessageHandlerKind.Text : MessageHandlerKind.Binary, delivery)
        {
            OnText = onText,
            OnUtf8Text = onUtf8Text,
            OnTextStream = onTextStream,
            OnBinary = onBinary,
            OnBinaryStream = onBinaryStream,
        };
    }

    /// <summary>Creates a handler of message parts.</summary>
    internal static MessageHandler Partial<T>(Func<T, bool, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var type = typeof(T);
        if (type == typeof(string))
        {
            return new(type, true, MessageHandlerKind.Text, MessageDelivery.Partial) { OnText = (text, last) => handler((T)(object)text, last) };
        }

        if (type == typeof(byte[]))
        {
            return new(type, true, MessageHandlerKind.Binary, MessageDelivery.Partial) { OnBinary = (data, last) => handler((T)(object)data.ToArray(), last) };
        }

        if (type == typeof(ReadOnlyMemory<byte>))
        {
            return new(type, true, MessageHandlerKind.Binary, MessageDelivery.Partial) { OnBinary = (data, last) => handler((T)(object)data, last) };
        }

        if (type == typeof(ArraySegment<byte>))
        {
            return new(type, true, MessageHandlerKind.Binary, MessageDelivery.Partial) { OnBinary = (data, last) => handler((T)(object)ToSegment(data), last) };
        }

        throw new ArgumentException(
            $"A partial message handler cannot take {type.FullName}: use string, byte[], ReadOnlyMemory<byte> or ArraySegment<byte>.",
            nameof(handler));
    }

    private static ArraySegment<byte> ToSegment(ReadOnlyMemory<byte> data) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) ? segment : new ArraySegment<byte>(data.ToArray());
}
