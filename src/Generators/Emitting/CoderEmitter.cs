using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// Writes the coder part of a dispatcher: one field per declared decoder or encoder type, created and
/// initialised per session in <c>InitializeCoders</c> and destroyed in <c>DestroyCoders</c>; the decoding
/// helper of a decoded message parameter; and <c>TrySendObjectAsync</c>, which tries the encoders in
/// declaration order.
/// </summary>
/// <example>
/// For <c>Decoders = [typeof(OrderDecoder)], Encoders = [typeof(ReceiptEncoder)]</c> and
/// <c>[OnMessage] public Receipt Place(Order order)</c>:
/// <code>
/// private global::Shop.OrderDecoder _coder0 = null!;
/// private global::Shop.ReceiptEncoder _coder1 = null!;
///
/// public override void InitializeCoders(global::Annotated.WebSockets.EndpointConfig config)
/// {
///     _coder0 = new global::Shop.OrderDecoder();
///     ((global::Annotated.WebSockets.ICoder)_coder0).Init(config);
///     ...
/// }
///
/// private global::Shop.Order DecodeText(string text)
/// {
///     try
///     {
///         var decoder0 = (global::Annotated.WebSockets.ITextDecoder&lt;global::Shop.Order&gt;)_coder0;
///         if (decoder0.WillDecode(text))
///         {
///             return decoder0.Decode(text);
///         }
///     }
///     catch (global::System.Exception exception) when (exception is not global::Annotated.WebSockets.DecodeException)
///     {
///         throw new global::Annotated.WebSockets.DecodeException(text, "A decoder of Shop.ShopEndpoint failed to decode the message for Shop.Order: " + exception.Message, exception);
///     }
///
///     throw new global::Annotated.WebSockets.DecodeException(text, "No decoder of Shop.ShopEndpoint accepted the message for Shop.Order.");
/// }
///
/// public override async global::System.Threading.Tasks.ValueTask&lt;bool&gt; TrySendObjectAsync(...)
/// {
///     if (value is global::Shop.Receipt value0)
///     {
///         string encoded;
///         try { encoded = ((global::Annotated.WebSockets.ITextEncoder&lt;global::Shop.Receipt&gt;)_coder1).Encode(value0); }
///         catch (...) { throw new global::Annotated.WebSockets.EncodeException(value, ..., exception); }
///         await remote.SendTextAsync(encoded, cancellationToken).ConfigureAwait(false);
///         return true;
///     }
///
///     return false;
/// }
/// </code>
/// When a decoder of the chain implements <c>IUtf8TextDecoder&lt;T&gt;</c> (the handler then overrides
/// <c>OnUtf8TextAsync</c>), the helper takes the message as it arrived, and the decoders that take a string share
/// one made on first use:
/// <code>
/// private global::Shop.Order DecodeText(global::Annotated.WebSockets.Utf8Text text)
/// {
///     string? textString = null;
///
///     try
///     {
///         var decoder0 = (global::Annotated.WebSockets.IUtf8TextDecoder&lt;global::Shop.Order&gt;)_coder0;
///         if (decoder0.WillDecode(text))
///         {
///             return decoder0.Decode(text);
///         }
///
///         var decoder1 = (global::Annotated.WebSockets.ITextDecoder&lt;global::Shop.Order&gt;)_coder1;
///         if (decoder1.WillDecode(textString ??= text.ToString()))
///         {
///             return decoder1.Decode(textString);
///         }
///     }
///     catch (...) { throw new global::Annotated.WebSockets.DecodeException(textString ?? text.ToString(), ..., exception); }
///     ...
/// }
/// </code>
/// and an <c>IUtf8TextEncoder&lt;T&gt;</c> is called with <c>EncodeUtf8</c>, its <c>Utf8Text</c> sent with
/// <c>SendTextAsync(Utf8Text, CancellationToken)</c>. A coder implementing the string and the UTF-8 interface of
/// one <c>T</c> is used through the UTF-8 one.
/// </example>
internal static class CoderEmitter
{
    private const string Catch = $"catch ({RuntimeNames.Exception} exception) when (exception is not ";

    /// <summary>In a decoding helper that takes <c>Utf8Text</c>, the message as a string for the decoders that take one.</summary>
    private const string SharedString = "textString";

    private const string MakeSharedString = SharedString + " ??= text.ToString()";

    /// <summary>The helper's name for a decoded message of <paramref name="kind"/>.</summary>
    public static string DecodeMethodName(ParameterKind kind, bool isAsync) =>
        (kind == ParameterKind.DecodedText ? "DecodeText" : "DecodeBinary") + (isAsync ? "Async" : string.Empty);

    /// <summary>
    /// Whether decoding <paramref name="message"/> awaits: a stream decoder is used (stream delivery, or a
    /// stream decoder reached in a whole-message chain).
    /// </summary>
    public static bool DecodesAsynchronously(ParameterModel message)
    {
        foreach (var decoder in message.Decoders)
        {
            if (IsStream(decoder.Kind))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the coder fields and the <c>InitializeCoders</c>/<c>DestroyCoders</c> overrides.</summary>
    public static void WriteLifecycle(CodeWriter writer, EndpointModel endpoint)
    {
        if (endpoint.Coders.IsEmpty)
        {
            return;
        }

        writer.WriteLine();
        for (var i = 0; i < endpoint.Coders.Count; i++)
        {
            var coder = endpoint.Coders[i];

            // A struct coder is boxed once, so Init and every later call see the same instance.
            var fieldType = coder.IsValueType ? RuntimeNames.Coder : coder.TypeName;
            writer.WriteLine($"private {fieldType} {Field(i)} = null!;");
        }

        writer.WriteLine();
        writer.OpenBlock($"public override void InitializeCoders({RuntimeNames.EndpointConfig} config)");
        for (var i = 0; i < endpoint.Coders.Count; i++)
        {
            writer.WriteLine($"{Field(i)} = new {endpoint.Coders[i].TypeName}();");
            writer.WriteLine($"(({RuntimeNames.Coder}){Field(i)}).Init(config);");
        }

        writer.CloseBlock();
        writer.WriteLine();
        writer.OpenBlock("public override void DestroyCoders()");

        // A coder is null here when an earlier coder's constructor or Init threw.
        for (var i = 0; i < endpoint.Coders.Count; i++)
        {
            writer.WriteLine($"(({RuntimeNames.Coder}?){Field(i)})?.Destroy();");
        }

        writer.CloseBlock();
    }

    /// <summary>
    /// Writes the helper that turns a message into <paramref name="message"/>'s type: for whole delivery, each
    /// text (binary) decoder that is willing in turn, a stream decoder reading the whole message ending the
    /// chain; for stream delivery, the first stream decoder reading the incoming stream.
    /// </summary>
    public static void WriteDecodeMethod(CodeWriter writer, EndpointModel endpoint, HandlerModel handler, ParameterModel message)
    {
        var isText = message.Kind == ParameterKind.DecodedText;
        var isAsync = DecodesAsynchronously(message);
        var stream = handler.Delivery == HandlerDelivery.Stream;

        // A whole-text chain with a UTF-8 decoder takes the message as Utf8Text (HandlerModel.TakesUtf8Text); its
        // decoders that take a string share one, made when the first of them is reached.
        var utf8 = isText && !stream && message.DecodesUtf8;
        var sharesString = utf8 && ReachesStringDecoder(message);
        var input = stream
            ? isText ? $"{RuntimeNames.TextReader} reader" : $"{RuntimeNames.Stream} stream"
            : isText ? $"{(utf8 ? RuntimeNames.Utf8Text : "string")} text" : $"{RuntimeNames.ReadOnlyMemoryOfByte} data";
        var original = stream
            ? isText ? "string.Empty" : $"{RuntimeNames.ReadOnlyMemoryOfByte}.Empty"
            : !isText ? "data" : !utf8 ? "text" : sharesString ? $"{SharedString} ?? text.ToString()" : "text.ToString()";
        var returnType = isAsync ? $"{RuntimeNames.ValueTask}<{message.TypeName}>" : message.TypeName;
        var what = $"{Display(endpoint.TypeName)} {{0}} the message for {Display(message.TypeName)}";

        writer.WriteLine();
        writer.WriteLine($"/// <summary>Decodes a {(isText ? "text" : "binary")} message for <c>{handler.MethodName}</c> with the endpoint's decoders, in declaration order.</summary>");
        writer.OpenBlock($"private {(isAsync ? "async " : string.Empty)}{returnType} {DecodeMethodName(message.Kind, isAsync)}({input})");
        if (sharesString)
        {
            writer.WriteLine($"string? {SharedString} = null;");
            writer.WriteLine();
        }

        writer.OpenBlock("try");
        var ended = false;
        for (var i = 0; i < message.Decoders.Count && !ended; i++)
        {
            var decoder = message.Decoders[i];
            var cast = $"(({Interface(decoder.Kind, decoding: true)}<{decoder.ValueTypeName}>){Field(decoder.Instance)})";
            if (IsStream(decoder.Kind))
            {
                // A stream decoder has no WillDecode: it takes every message that reaches it.
                var source = stream
                    ? isText ? "reader" : "stream"
                    : isText ? $"new {RuntimeNames.StringReader}({(utf8 ? MakeSharedString : "text")})" : $"new {RuntimeNames.MemoryStream}(data.ToArray(), writable: false)";
                writer.WriteLine($"return await {cast}.DecodeAsync({source}).ConfigureAwait(false);");
                ended = true;
                continue;
            }

            var (test, argument) = utf8 && decoder.Kind == CoderKind.Text
                ? (MakeSharedString, SharedString)
                : isText ? ("text", "text") : ("data", "data");
            var local = "decoder" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            writer.WriteLine($"var {local} = {cast.Substring(1, cast.Length - 2)};");
            writer.OpenBlock($"if ({local}.WillDecode({test}))");
            writer.WriteLine($"return {local}.Decode({argument});");
            writer.CloseBlock();
            if (i < message.Decoders.Count - 1)
            {
                writer.WriteLine();
            }
        }

        writer.CloseBlock();
        writer.OpenBlock($"{Catch}{RuntimeNames.DecodeException})");
        var failed = Literal(string.Format(System.Globalization.CultureInfo.InvariantCulture, "A decoder of " + what, "failed to decode") + ": ");
        writer.WriteLine($"throw new {RuntimeNames.DecodeException}({original}, {failed} + exception.Message, exception);");
        writer.CloseBlock();
        if (!ended)
        {
            writer.WriteLine();
            var none = Literal(string.Format(System.Globalization.CultureInfo.InvariantCulture, "No decoder of " + what, "accepted") + ".");
            writer.WriteLine($"throw new {RuntimeNames.DecodeException}({original}, {none});");
        }

        writer.CloseBlock();
    }

    /// <summary>Writes <c>TrySendObjectAsync</c>: a type test per encoder interface, in declaration order.</summary>
    public static void WriteTrySendObject(CodeWriter writer, EndpointModel endpoint)
    {
        if (endpoint.EncoderUses.IsEmpty)
        {
            return;
        }

        writer.WriteLine();
        writer.OpenBlock($"public override async {RuntimeNames.ValueTaskOfBool} TrySendObjectAsync({RuntimeNames.BasicRemoteEndpoint} remote, object value, {RuntimeNames.CancellationToken} cancellationToken)");
        for (var i = 0; i < endpoint.EncoderUses.Count; i++)
        {
            var use = endpoint.EncoderUses[i];
            var (local, encoder, wrap) = EncoderCall(endpoint, use, i);

            writer.OpenBlock($"if (value is {use.PatternTypeName} {local})");
            switch (use.Kind)
            {
                case CoderKind.Text or CoderKind.Utf8Text or CoderKind.Binary:
                    var (encodedType, encode) = EncodedForm(use.Kind);
                    var send = use.Kind == CoderKind.Binary ? "SendBinaryAsync" : "SendTextAsync";
                    writer.WriteLine($"{encodedType} encoded;");
                    WriteTry(writer, $"encoded = {encoder}.{encode}({local});", wrap);
                    writer.WriteLine();
                    writer.WriteLine($"await remote.{send}(encoded, cancellationToken).ConfigureAwait(false);");
                    break;
                case CoderKind.TextStream or CoderKind.BinaryStream when endpoint.CanStreamSends:
                    // The message goes out while the encoder writes; disposing the writer ends it. An encoder that fails
                    // midway must not end it (the peer would take the cut-off parts for a whole message): it is abandoned.
                    var getter = use.Kind == CoderKind.TextStream ? "GetSendWriter" : "GetSendStream";
                    writer.WriteLine($"var output = remote.{getter}();");
                    writer.OpenBlock("try");
                    writer.WriteLine($"await {encoder}.EncodeAsync({local}, output).ConfigureAwait(false);");
                    writer.CloseBlock();
                    writer.OpenBlock($"catch ({RuntimeNames.Exception} exception)");
                    writer.WriteLine("await AbandonMessageAsync(output).ConfigureAwait(false);");
                    writer.OpenBlock($"if (exception is {RuntimeNames.EncodeException})");
                    writer.WriteLine("throw;");
                    writer.CloseBlock();
                    writer.WriteLine();
                    writer.WriteLine(wrap);
                    writer.CloseBlock();
                    writer.WriteLine();
                    writer.WriteLine("await output.DisposeAsync().ConfigureAwait(false);");
                    break;
                case CoderKind.TextStream:
                    writer.WriteLine($"using var output = new {RuntimeNames.StringWriter}({RuntimeNames.InvariantCulture});");
                    WriteTry(writer, $"await {encoder}.EncodeAsync({local}, output).ConfigureAwait(false);", wrap);
                    writer.WriteLine();
                    writer.WriteLine("await remote.SendTextAsync(output.ToString(), cancellationToken).ConfigureAwait(false);");
                    break;
                default:
                    writer.WriteLine($"using var output = new {RuntimeNames.MemoryStream}();");
                    WriteTry(writer, $"await {encoder}.EncodeAsync({local}, output).ConfigureAwait(false);", wrap);
                    writer.WriteLine();
                    writer.WriteLine($"await remote.SendBinaryAsync(new {RuntimeNames.ReadOnlyMemoryOfByte}(output.GetBuffer(), 0, (int)output.Length), cancellationToken).ConfigureAwait(false);");
                    break;
            }

            writer.WriteLine("return true;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        writer.WriteLine("return false;");
        writer.CloseBlock();
    }

    /// <summary>
    /// Writes the encode-only step beside <see cref="WriteTrySendObject"/>: <c>TryEncodeObjectAsync</c> encodes a value
    /// once with the same encoder into a <c>PreparedMessage</c> that can be sent to many sessions (a broadcast). Stream
    /// encoders write into a buffer (a message must be whole before it is shared); the method is async only when one
    /// of them is there.
    /// </summary>
    public static void WriteTryEncodeObject(CodeWriter writer, EndpointModel endpoint)
    {
        if (endpoint.EncoderUses.IsEmpty)
        {
            return;
        }

        var isAsync = false;
        foreach (var use in endpoint.EncoderUses)
        {
            isAsync |= IsStream(use.Kind);
        }

        string Return(string message) => isAsync ? $"return {message};" : $"return new({message});";

        writer.WriteLine();
        writer.OpenBlock($"public override {(isAsync ? "async " : string.Empty)}{RuntimeNames.ValueTask}<{RuntimeNames.PreparedMessage}?> TryEncodeObjectAsync(object value)");
        for (var i = 0; i < endpoint.EncoderUses.Count; i++)
        {
            var use = endpoint.EncoderUses[i];
            var (local, encoder, wrap) = EncoderCall(endpoint, use, i);

            writer.OpenBlock($"if (value is {use.PatternTypeName} {local})");
            switch (use.Kind)
            {
                case CoderKind.Text or CoderKind.Utf8Text or CoderKind.Binary:
                    var (encodedType, encode) = EncodedForm(use.Kind);
                    var make = use.Kind == CoderKind.Binary ? "FromBinary" : "FromText";
                    writer.WriteLine($"{encodedType} encoded;");
                    WriteTry(writer, $"encoded = {encoder}.{encode}({local});", wrap);
                    writer.WriteLine();
                    writer.WriteLine(Return($"{RuntimeNames.PreparedMessage}.{make}(encoded)"));
                    break;
                case CoderKind.TextStream:
                    writer.WriteLine($"using var output = new {RuntimeNames.StringWriter}({RuntimeNames.InvariantCulture});");
                    WriteTry(writer, $"await {encoder}.EncodeAsync({local}, output).ConfigureAwait(false);", wrap);
                    writer.WriteLine();
                    writer.WriteLine(Return($"{RuntimeNames.PreparedMessage}.FromText(output.ToString())"));
                    break;
                default:
                    writer.WriteLine($"using var output = new {RuntimeNames.MemoryStream}();");
                    WriteTry(writer, $"await {encoder}.EncodeAsync({local}, output).ConfigureAwait(false);", wrap);
                    writer.WriteLine();
                    writer.WriteLine(Return($"{RuntimeNames.PreparedMessage}.FromBinary(new {RuntimeNames.ReadOnlyMemoryOfByte}(output.GetBuffer(), 0, (int)output.Length))"));
                    break;
            }

            writer.CloseBlock();
            writer.WriteLine();
        }

        writer.WriteLine(isAsync ? "return null;" : "return default;");
        writer.CloseBlock();
    }

    /// <summary>
    /// Writes the statements sending an encoder-backed <c>result</c> through <c>TrySendObjectAsync</c>; the
    /// analyzers guarantee an encoder accepts its static type, so false cannot happen for a valid endpoint.
    /// </summary>
    public static void WriteSendEncoded(CodeWriter writer, EndpointModel endpoint, HandlerModel handler)
    {
        if (handler.ResultMayBeNull)
        {
            writer.OpenBlock("if (result is null)");
            writer.WriteLine("return;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        writer.OpenBlock($"if (!await TrySendObjectAsync(session.BasicRemote, result, {RuntimeNames.CancellationToken}.None).ConfigureAwait(false))");
        var message = Literal($"No encoder of {Display(endpoint.TypeName)} accepts the result of {handler.MethodName}.");
        writer.WriteLine($"throw new {RuntimeNames.EncodeException}(result, {message});");
        writer.CloseBlock();
    }

    private static void WriteTry(CodeWriter writer, string statement, string wrap)
    {
        writer.OpenBlock("try");
        writer.WriteLine(statement);
        writer.CloseBlock();
        writer.OpenBlock($"{Catch}{RuntimeNames.EncodeException})");
        writer.WriteLine(wrap);
        writer.CloseBlock();
    }

    private static bool IsStream(CoderKind kind) => kind is CoderKind.TextStream or CoderKind.BinaryStream;

    /// <summary>Whether a decoder that takes a string (or a reader over one) is reached before a stream decoder ends the chain.</summary>
    private static bool ReachesStringDecoder(ParameterModel message)
    {
        foreach (var decoder in message.Decoders)
        {
            if (decoder.Kind is CoderKind.Text or CoderKind.TextStream)
            {
                return true;
            }

            if (IsStream(decoder.Kind))
            {
                return false;
            }
        }

        return false;
    }

    private static string Field(int instance) => "_coder" + instance.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Interface(CoderKind kind, bool decoding) => (kind, decoding) switch
    {
        (CoderKind.Text, true) => RuntimeNames.TextDecoder,
        (CoderKind.Utf8Text, true) => RuntimeNames.Utf8TextDecoder,
        (CoderKind.TextStream, true) => RuntimeNames.TextStreamDecoder,
        (CoderKind.Binary, true) => RuntimeNames.BinaryDecoder,
        (CoderKind.BinaryStream, true) => RuntimeNames.BinaryStreamDecoder,
        (CoderKind.Text, false) => RuntimeNames.TextEncoder,
        (CoderKind.Utf8Text, false) => RuntimeNames.Utf8TextEncoder,
        (CoderKind.TextStream, false) => RuntimeNames.TextStreamEncoder,
        (CoderKind.Binary, false) => RuntimeNames.BinaryEncoder,
        _ => RuntimeNames.BinaryStreamEncoder,
    };

    /// <summary>A type name for messages to people: without the <c>global::</c> prefixes.</summary>
    private static string Display(string typeName) => typeName.Replace("global::", string.Empty);

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    // The pieces of one encoder call: the pattern variable, the encoder cast to its interface, and the statement that
    // wraps its failure in an EncodeException naming the encoder and the type.
    private static (string Local, string Encoder, string Wrap) EncoderCall(EndpointModel endpoint, CoderUse use, int index)
    {
        var local = "value" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var encoder = $"(({Interface(use.Kind, decoding: false)}<{use.ValueTypeName}>){Field(use.Instance)})";
        var failed = Literal($"The encoder {Display(endpoint.Coders[use.Instance].TypeName)} failed to encode a {Display(use.ValueTypeName)}: ");
        return (local, encoder, $"throw new {RuntimeNames.EncodeException}(value, {failed} + exception.Message, exception);");
    }

    // What a whole-message encoder of this kind returns, and its method.
    private static (string Type, string Method) EncodedForm(CoderKind kind) => kind switch
    {
        CoderKind.Text => ("string", "Encode"),
        CoderKind.Utf8Text => (RuntimeNames.Utf8Text, "EncodeUtf8"),
        _ => (RuntimeNames.ReadOnlyMemoryOfByte, "Encode"),
    };
}
