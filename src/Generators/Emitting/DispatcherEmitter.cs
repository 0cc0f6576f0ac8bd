using System.Collections.Generic;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// Writes the dispatcher of one endpoint: a sealed <c>EndpointDispatcher</c> whose overrides call the
/// endpoint's handler methods directly, with converted arguments, awaiting only where the handler's return
/// type requires it. Exceptions are not caught here: the session routes them to <c>OnErrorAsync</c>.
/// </summary>
/// <example>
/// For
/// <code>
/// [ServerEndpoint("/chat/{room}")]
/// public sealed class ChatEndpoint
/// {
///     [OnOpen]    public Task Open(WebSocketSession session, [PathParam("room")] string room) => ...;
///     [OnMessage] public string Message(string text) => ...;
///     [OnMessage] public async ValueTask&lt;int&gt; Binary(byte[] data) => ...;
///     [OnError]   public void Error(Exception error) { ... }
/// }
/// </code>
/// the emitter writes <c>MyApp.ChatEndpoint.Endpoint.g.cs</c> (coders, decoding and
/// <c>TrySendObjectAsync</c> are shown on <see cref="CoderEmitter"/>):
/// <code>
/// // &lt;auto-generated/&gt;
/// #nullable enable
/// #pragma warning disable CS0612, CS0618 // the endpoint's own handlers may be [Obsolete]
///
/// namespace MyApp.AnnotatedWebSocketsGenerated
/// {
///     /// &lt;summary&gt;Calls the handlers of one &lt;see cref="global::MyApp.ChatEndpoint"/&gt; instance for one session.&lt;/summary&gt;
///     [global::System.CodeDom.Compiler.GeneratedCode("Annotated.WebSockets.Generators", "0.1.0.0")]
///     internal sealed class ChatEndpointDispatcher : global::Annotated.WebSockets.Dispatch.EndpointDispatcher
///     {
///         private readonly global::MyApp.ChatEndpoint _endpoint;
///
///         // Path parameters cannot change during a connection: each is converted once per session.
///         private global::Annotated.WebSockets.Dispatch.PathParameterCache&lt;string?&gt; _pathParameter0; // "room"
///
///         public ChatEndpointDispatcher(global::MyApp.ChatEndpoint endpoint)
///         {
///             _endpoint = endpoint;
///         }
///
///         public override object Endpoint => _endpoint;
///
///         public override bool HasErrorHandler => true;
///
///         public override global::System.Threading.Tasks.ValueTask OnOpenAsync(global::Annotated.WebSockets.WebSocketSession session, global::Annotated.WebSockets.EndpointConfig config)
///         {
///             return new global::System.Threading.Tasks.ValueTask(_endpoint.Open(
///                 session,
///                 global::Annotated.WebSockets.Dispatch.PathParameterConverter.GetString(ref _pathParameter0, session, "room")!));
///         }
///
///         public override global::System.Threading.Tasks.ValueTask OnTextAsync(global::Annotated.WebSockets.WebSocketSession session, string text, bool last)
///         {
///             var result = _endpoint.Message(text);
///             if (result is null)
///             {
///                 return default;
///             }
///
///             return new global::System.Threading.Tasks.ValueTask(session.BasicRemote.SendTextAsync(result));
///         }
///
///         public override async global::System.Threading.Tasks.ValueTask OnBinaryAsync(global::Annotated.WebSockets.WebSocketSession session, global::System.ReadOnlyMemory&lt;byte&gt; data, bool last)
///         {
///             var result = await _endpoint.Binary(data.ToArray()).ConfigureAwait(false);
///             await session.BasicRemote.SendTextAsync(result.ToString(global::System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
///         }
///
///         public override global::System.Threading.Tasks.ValueTask OnErrorAsync(global::Annotated.WebSockets.WebSocketSession session, global::System.Exception error)
///         {
///             _endpoint.Error(error);
///             return default;
///         }
///     }
/// }
/// </code>
/// A text handler that takes <c>Utf8Text</c> (or whose decoders include a UTF-8 one) gets an <c>OnUtf8TextAsync</c>
/// override of the same shape instead of <c>OnTextAsync</c>, and its registration says <c>TextAsUtf8 = true</c>.
/// An <c>[OnError]</c> method whose parameter is narrower than <c>Exception</c>, say
/// <c>Error(InvalidOperationException error)</c>, also gets
/// <code>
///         public override bool HandlesError(global::System.Exception error) => error is global::System.InvalidOperationException;
/// </code>
/// so the session logs other errors as unhandled, and its <c>OnErrorAsync</c> begins with
/// <c>if (error is not global::System.InvalidOperationException exception) { return default; }</c>.
/// </example>
internal static class DispatcherEmitter
{
    private const string SessionParameter = RuntimeNames.WebSocketSession + " session";

    /// <summary>The hint name of <paramref name="endpoint"/>'s file.</summary>
    public static string HintName(EndpointModel endpoint) => endpoint.MetadataName + ".Endpoint.g.cs";

    /// <summary>The source text of <paramref name="endpoint"/>'s dispatcher.</summary>
    public static string Emit(EndpointModel endpoint)
    {
        var writer = new CodeWriter();
        GeneratedCodeInfo.WriteFileHeader(writer);
        writer.WriteLine("#pragma warning disable CS0612, CS0618 // the endpoint's own handlers may be [Obsolete]");
        writer.WriteLine();

        // A namespace of its own, so the dispatcher cannot collide with a type the user declares.
        writer.OpenBlock($"namespace {endpoint.GeneratedNamespace}");

        writer.WriteLine($"/// <summary>Calls the handlers of one <see cref=\"{endpoint.TypeName}\"/> instance for one session.</summary>");
        writer.WriteLine(GeneratedCodeInfo.Attribute);
        writer.OpenBlock($"internal sealed class {endpoint.DispatcherName} : {RuntimeNames.EndpointDispatcher}");
        writer.WriteLine($"private readonly {endpoint.TypeName} _endpoint;");
        var pathParameters = PathParameterSlots.For(endpoint);
        pathParameters.WriteFields(writer);
        writer.WriteLine();
        writer.OpenBlock($"public {endpoint.DispatcherName}({endpoint.TypeName} endpoint)");
        writer.WriteLine("_endpoint = endpoint;");
        writer.CloseBlock();
        writer.WriteLine();
        writer.WriteLine("public override object Endpoint => _endpoint;");

        if (endpoint.OnError is { } onError)
        {
            writer.WriteLine();
            writer.WriteLine("public override bool HasErrorHandler => true;");
            if (NarrowedErrorType(onError) is { } errorType)
            {
                // The base HandlesError accepts every error; a narrower parameter accepts only its own type, and the
                // session logs the rest as it does for an endpoint without an [OnError] method.
                writer.WriteLine();
                writer.WriteLine($"public override bool HandlesError({RuntimeNames.Exception} error) => error is {errorType};");
            }
        }

        CoderEmitter.WriteLifecycle(writer, endpoint);
        WriteOverride(writer, endpoint, pathParameters, endpoint.OnOpen, $"OnOpenAsync({SessionParameter}, {RuntimeNames.EndpointConfig} config)");
        if (endpoint.Text is { } text)
        {
            WriteOverride(writer, endpoint, pathParameters, text, text.Delivery == HandlerDelivery.Stream
                ? $"OnTextStreamAsync({SessionParameter}, {RuntimeNames.TextReader} reader)"
                : text.TakesUtf8Text
                    ? $"OnUtf8TextAsync({SessionParameter}, {RuntimeNames.Utf8Text} text)"
                    : $"OnTextAsync({SessionParameter}, string text, bool last)");
        }

        if (endpoint.Binary is { } binary)
        {
            WriteOverride(writer, endpoint, pathParameters, binary, binary.Delivery == HandlerDelivery.Stream
                ? $"OnBinaryStreamAsync({SessionParameter}, {RuntimeNames.Stream} stream)"
                : $"OnBinaryAsync({SessionParameter}, {RuntimeNames.ReadOnlyMemoryOfByte} data, bool last)");
        }

        WriteOverride(writer, endpoint, pathParameters, endpoint.Pong, $"OnPongAsync({SessionParameter}, {RuntimeNames.PongMessage} pong)");
        WriteOverride(writer, endpoint, pathParameters, endpoint.OnError, $"OnErrorAsync({SessionParameter}, {RuntimeNames.Exception} error)");
        WriteOverride(writer, endpoint, pathParameters, endpoint.OnClose, $"OnCloseAsync({SessionParameter}, {RuntimeNames.CloseReason} reason)");
        CoderEmitter.WriteTrySendObject(writer, endpoint);
        CoderEmitter.WriteTryEncodeObject(writer, endpoint);
        WriteDecodeMethods(writer, endpoint);

        writer.CloseBlock();
        writer.CloseBlock();
        return writer.ToString();
    }

    private static void WriteDecodeMethods(CodeWriter writer, EndpointModel endpoint)
    {
        foreach (var handler in new[] { endpoint.Text, endpoint.Binary })
        {
            if (handler is null)
            {
                continue;
            }

            foreach (var parameter in handler.Parameters)
            {
                if (parameter.Kind is ParameterKind.DecodedText or ParameterKind.DecodedBinary)
                {
                    CoderEmitter.WriteDecodeMethod(writer, endpoint, handler, parameter);
                }
            }
        }
    }

    /// <summary>The type of the <c>[OnError]</c> method's exception parameter when it is narrower than <c>Exception</c>, else null.</summary>
    private static string? NarrowedErrorType(HandlerModel onError)
    {
        foreach (var parameter in onError.Parameters)
        {
            if (IsNarrowedError(parameter))
            {
                return parameter.TypeName;
            }
        }

        return null;
    }

    private static bool IsNarrowedError(ParameterModel parameter) =>
        parameter is { Kind: ParameterKind.Error, TypeName: not RuntimeNames.Exception };

    private static void WriteOverride(CodeWriter writer, EndpointModel endpoint, PathParameterSlots pathParameters, HandlerModel? handler, string signature)
    {
        if (handler is null)
        {
            return;
        }

        // Await only when a result must be read from a task or sent through an encoder, a ValueTask<T> must
        // be consumed exactly once, or a decoder reads a stream.
        var decodesAsynchronously = false;
        foreach (var parameter in handler.Parameters)
        {
            decodesAsynchronously |= parameter.Kind is ParameterKind.DecodedText or ParameterKind.DecodedBinary
                && CoderEmitter.DecodesAsynchronously(parameter);
        }

        var isAsync = decodesAsynchronously || handler.Result == ResultKind.Encoded || handler.Invocation switch
        {
            HandlerInvocation.TaskOfT => handler.Result != ResultKind.None,
            HandlerInvocation.ValueTaskOfT => true,
            _ => false,
        };
        var returnNothing = isAsync ? "return;" : "return default;";

        writer.WriteLine();
        writer.OpenBlock($"public override {(isAsync ? "async " : string.Empty)}{RuntimeNames.ValueTask} {signature}");

        var arguments = new List<string>(handler.Parameters.Count);
        foreach (var parameter in handler.Parameters)
        {
            arguments.Add(parameter.Kind == ParameterKind.PathParameter ? pathParameters.Argument(parameter) : Argument(parameter));
            if (IsNarrowedError(parameter))
            {
                // A handler for a narrower exception type is called only for errors of that type (the session checks
                // HandlesError first and logs the others; this test keeps a direct call just as safe).
                writer.OpenBlock($"if (error is not {parameter.TypeName} exception)");
                writer.WriteLine(returnNothing);
                writer.CloseBlock();
                writer.WriteLine();
            }
            else if (parameter.Kind == ParameterKind.ParsedText)
            {
                WriteTextConversion(writer, parameter);
            }
            else if (parameter.Kind is ParameterKind.DecodedText or ParameterKind.DecodedBinary)
            {
                var isText = parameter.Kind == ParameterKind.DecodedText;
                var input = handler.Delivery == HandlerDelivery.Stream ? isText ? "reader" : "stream" : isText ? "text" : "data";
                var helper = CoderEmitter.DecodeMethodName(parameter.Kind, CoderEmitter.DecodesAsynchronously(parameter));
                writer.WriteLine(CoderEmitter.DecodesAsynchronously(parameter)
                    ? $"var message = await {helper}({input}).ConfigureAwait(false);"
                    : $"var message = {helper}({input});");
            }
            else if (parameter.Kind == ParameterKind.ArraySegment)
            {
                // The segment shares the session's buffer when it can, like ReadOnlyMemory<byte>: valid during the call.
                writer.WriteLine($"var segment = {RuntimeNames.MemoryMarshal}.TryGetArray(data, out var array)");
                writer.Indent();
                writer.WriteLine("? array");
                writer.WriteLine($": new {RuntimeNames.ArraySegmentOfByte}(data.ToArray());");
                writer.Outdent();
            }
        }

        var receiver = handler.DeclaringTypeName is null ? "_endpoint" : $"(({handler.DeclaringTypeName})_endpoint)";
        var call = new Call($"{receiver}.{handler.MethodName}", arguments);
        var hasResult = handler.Result != ResultKind.None;
        if (handler.Invocation == HandlerInvocation.Synchronous)
        {
            if (hasResult)
            {
                call.Write(writer, "var result = ", ";");
                WriteSend(writer, endpoint, handler, isAsync);
            }
            else
            {
                call.Write(writer, string.Empty, ";");
                writer.WriteLine(returnNothing);
            }
        }
        else if (isAsync)
        {
            if (hasResult)
            {
                call.Write(writer, "var result = await ", ".ConfigureAwait(false);");
                WriteSend(writer, endpoint, handler, isAsync);
            }
            else
            {
                call.Write(writer, "await ", ".ConfigureAwait(false);");
            }
        }
        else if (handler.Invocation == HandlerInvocation.ValueTask)
        {
            call.Write(writer, "return ", ";");
        }
        else
        {
            call.Write(writer, $"return new {RuntimeNames.ValueTask}(", ");");
        }

        writer.CloseBlock();
    }

    /// <summary>Writes the statements that send <c>result</c> back to the peer, skipping a null one.</summary>
    private static void WriteSend(CodeWriter writer, EndpointModel endpoint, HandlerModel handler, bool isAsync)
    {
        if (handler.Result == ResultKind.Encoded)
        {
            CoderEmitter.WriteSendEncoded(writer, endpoint, handler);
            return;
        }

        if (handler.ResultIsNullableValue || handler.Result is ResultKind.Text or ResultKind.ByteArray)
        {
            writer.OpenBlock("if (result is null)");
            writer.WriteLine(isAsync ? "return;" : "return default;");
            writer.CloseBlock();
            writer.WriteLine();
        }

        var value = handler.ResultIsNullableValue ? "result.Value" : "result";
        var send = handler.Result switch
        {
            ResultKind.Text or ResultKind.Utf8Text => $"session.BasicRemote.SendTextAsync({value})",
            ResultKind.ByteArray or ResultKind.ReadOnlyMemory or ResultKind.ArraySegment => $"session.BasicRemote.SendBinaryAsync({value})",
            ResultKind.Boolean => $"session.BasicRemote.SendTextAsync({value} ? \"true\" : \"false\")",
            ResultKind.Char => $"session.BasicRemote.SendTextAsync({value}.ToString())",
            _ => $"session.BasicRemote.SendTextAsync({value}.ToString({RuntimeNames.InvariantCulture}))",
        };
        writer.WriteLine(isAsync ? $"await {send}.ConfigureAwait(false);" : $"return new {RuntimeNames.ValueTask}({send});");
    }

    /// <summary>The expression passed for <paramref name="parameter"/>, in terms of the override's own parameters.</summary>
    private static string Argument(ParameterModel parameter) => parameter.Kind switch
    {
        ParameterKind.Session => "session",
        ParameterKind.EndpointConfig => parameter.TypeName == RuntimeNames.EndpointConfig ? "config" : $"({parameter.TypeName})config",
        ParameterKind.CloseReason => "reason",
        ParameterKind.Error => parameter.TypeName == RuntimeNames.Exception ? "error" : "exception",
        ParameterKind.Text or ParameterKind.Utf8Text => "text",
        ParameterKind.ParsedText or ParameterKind.DecodedText or ParameterKind.DecodedBinary => "message",
        ParameterKind.TextReader => "reader",
        ParameterKind.ByteArray => "data.ToArray()",
        ParameterKind.ReadOnlyMemory => "data",
        ParameterKind.ArraySegment => "segment",
        ParameterKind.Stream => "stream",
        ParameterKind.Pong => "pong",
        _ => "last",
    };

    /// <summary>
    /// Writes <c>message</c>: the text converted like a path parameter of the same type (invariant culture,
    /// <c>true</c>/<c>false</c>, one character), or a <c>DecodeException</c> that the session routes to
    /// <c>OnErrorAsync</c>.
    /// </summary>
    private static void WriteTextConversion(CodeWriter writer, ParameterModel parameter)
    {
        var type = parameter.ValueTypeName ?? "string";
        var (test, value, problem) = parameter.Conversion switch
        {
            StringConversion.Boolean or StringConversion.NullableBoolean =>
                ("bool.TryParse(text, out var parsed)", "parsed", "The text message is not 'true' or 'false'."),
            StringConversion.Char or StringConversion.NullableChar =>
                ("text.Length == 1", "text[0]", "The text message is not a single character."),
            _ => ($"{type}.TryParse(text, {RuntimeNames.InvariantCulture}, out var parsed)", "parsed", $"The text message is not a valid {type}."),
        };
        writer.WriteLine($"var message = {test}");
        writer.Indent();
        writer.WriteLine($"? {value}");
        writer.WriteLine($": throw new {RuntimeNames.DecodeException}(text, {SymbolDisplay.FormatLiteral(problem, quote: true)});");
        writer.Outdent();
    }

    /// <summary>
    /// The call of the user's method. Short argument lists stay on one line; lists with path parameter
    /// conversions put one argument per line so each conversion reads on its own.
    /// </summary>
    private readonly struct Call(string method, List<string> arguments)
    {
        private const int MaxSingleLineArguments = 80;

        public void Write(CodeWriter writer, string prefix, string suffix)
        {
            var joined = string.Join(", ", arguments);
            if (joined.Length <= MaxSingleLineArguments)
            {
                writer.WriteLine($"{prefix}{method}({joined}){suffix}");
                return;
            }

            writer.WriteLine($"{prefix}{method}(");
            writer.Indent();
            for (var i = 0; i < arguments.Count; i++)
            {
                writer.WriteLine(i == arguments.Count - 1 ? $"{arguments[i]}){suffix}" : arguments[i] + ",");
            }

            writer.Outdent();
        }
    }
}
