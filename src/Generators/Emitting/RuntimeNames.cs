namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>The runtime and BCL names generated code refers to, always <c>global::</c>-qualified.</summary>
internal static class RuntimeNames
{
    public const string EndpointDispatcher = "global::Annotated.WebSockets.Dispatch.EndpointDispatcher";
    public const string EndpointDefinition = "global::Annotated.WebSockets.Dispatch.AnnotatedEndpointDefinition";
    public const string EndpointRegistry = "global::Annotated.WebSockets.Dispatch.AnnotatedEndpointRegistry";
    public const string MessageDelivery = "global::Annotated.WebSockets.Dispatch.MessageDelivery";
    public const string PathParameterConverter = "global::Annotated.WebSockets.Dispatch.PathParameterConverter";
    public const string PathParameterCache = "global::Annotated.WebSockets.Dispatch.PathParameterCache";
    public const string WebSocketSession = "global::Annotated.WebSockets.WebSocketSession";
    public const string EndpointConfig = "global::Annotated.WebSockets.EndpointConfig";
    public const string CloseReason = "global::Annotated.WebSockets.CloseReason";
    public const string DecodeException = "global::Annotated.WebSockets.DecodeException";
    public const string EncodeException = "global::Annotated.WebSockets.EncodeException";
    public const string Coder = "global::Annotated.WebSockets.ICoder";
    public const string BasicRemoteEndpoint = "global::Annotated.WebSockets.IBasicRemoteEndpoint";
    public const string TextDecoder = "global::Annotated.WebSockets.ITextDecoder";
    public const string Utf8TextDecoder = "global::Annotated.WebSockets.IUtf8TextDecoder";
    public const string TextStreamDecoder = "global::Annotated.WebSockets.ITextStreamDecoder";
    public const string BinaryDecoder = "global::Annotated.WebSockets.IBinaryDecoder";
    public const string BinaryStreamDecoder = "global::Annotated.WebSockets.IBinaryStreamDecoder";
    public const string TextEncoder = "global::Annotated.WebSockets.ITextEncoder";
    public const string Utf8TextEncoder = "global::Annotated.WebSockets.IUtf8TextEncoder";
    public const string TextStreamEncoder = "global::Annotated.WebSockets.ITextStreamEncoder";
    public const string BinaryEncoder = "global::Annotated.WebSockets.IBinaryEncoder";
    public const string BinaryStreamEncoder = "global::Annotated.WebSockets.IBinaryStreamEncoder";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string StringReader = "global::System.IO.StringReader";
    public const string StringWriter = "global::System.IO.StringWriter";
    public const string MemoryStream = "global::System.IO.MemoryStream";
    public const string PongMessage = "global::Annotated.WebSockets.PongMessage";
    public const string Utf8Text = "global::Annotated.WebSockets.Utf8Text";
    public const string PreparedMessage = "global::Annotated.WebSockets.PreparedMessage";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfBool = "global::System.Threading.Tasks.ValueTask<bool>";
    public const string ReadOnlyMemoryOfByte = "global::System.ReadOnlyMemory<byte>";
    public const string ArraySegmentOfByte = "global::System.ArraySegment<byte>";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";
    public const string TextReader = "global::System.IO.TextReader";
    public const string Stream = "global::System.IO.Stream";
    public const string Exception = "global::System.Exception";
    public const string InvalidOperationException = "global::System.InvalidOperationException";
    public const string Type = "global::System.Type";
    public const string IServiceProvider = "global::System.IServiceProvider";
    public const string InvariantCulture = "global::System.Globalization.CultureInfo.InvariantCulture";
    public const string GetRequiredService = "global::Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService";
    public const string ModuleInitializer = "global::System.Runtime.CompilerServices.ModuleInitializer";
    public const string GeneratedCode = "global::System.CodeDom.Compiler.GeneratedCode";
}
