namespace Annotated.WebSockets.SourceGeneration;

/// <summary>Metadata names of the runtime types the generator and the analyzers recognise.</summary>
internal static class KnownTypeNames
{
    public const string Namespace = "Annotated.WebSockets";

    public const string ServerEndpointAttribute = "Annotated.WebSockets.ServerEndpointAttribute";
    public const string ClientEndpointAttribute = "Annotated.WebSockets.ClientEndpointAttribute";
    public const string BasicRemoteEndpoint = "Annotated.WebSockets.IBasicRemoteEndpoint";
    public const string OnOpenAttribute = "Annotated.WebSockets.OnOpenAttribute";
    public const string OnMessageAttribute = "Annotated.WebSockets.OnMessageAttribute";
    public const string OnCloseAttribute = "Annotated.WebSockets.OnCloseAttribute";
    public const string OnErrorAttribute = "Annotated.WebSockets.OnErrorAttribute";
    public const string PathParamAttribute = "Annotated.WebSockets.PathParamAttribute";
    public const string SendsMessageAttribute = "Annotated.WebSockets.SendsMessageAttribute";
    public const string JsonCoder = "Annotated.WebSockets.IJsonCoder";
    public const string AsyncRemoteEndpoint = "Annotated.WebSockets.IAsyncRemoteEndpoint";
    public const string WebSocketGroups = "Annotated.WebSockets.WebSocketGroups";
    public const string PreparedMessage = "Annotated.WebSockets.PreparedMessage";
    public const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";

    public const string WebSocketSession = "Annotated.WebSockets.WebSocketSession";
    public const string EndpointConfig = "Annotated.WebSockets.EndpointConfig";
    public const string CloseReason = "Annotated.WebSockets.CloseReason";
    public const string PongMessage = "Annotated.WebSockets.PongMessage";
    public const string Utf8Text = "Annotated.WebSockets.Utf8Text";

    public const string ServerEndpointConfigurator = "Annotated.WebSockets.Server.ServerEndpointConfigurator";
    public const string ClientEndpointConfigurator = "Annotated.WebSockets.Client.ClientEndpointConfigurator";
    public const string WebSocketContainer = "Annotated.WebSockets.Client.WebSocketContainer";
    public const string AnnotatedWebSocketsOptions = "Annotated.WebSockets.Server.AnnotatedWebSocketsOptions";

    public const string TextDecoder = "Annotated.WebSockets.ITextDecoder`1";
    public const string Utf8TextDecoder = "Annotated.WebSockets.IUtf8TextDecoder`1";
    public const string TextStreamDecoder = "Annotated.WebSockets.ITextStreamDecoder`1";
    public const string BinaryDecoder = "Annotated.WebSockets.IBinaryDecoder`1";
    public const string BinaryStreamDecoder = "Annotated.WebSockets.IBinaryStreamDecoder`1";
    public const string TextEncoder = "Annotated.WebSockets.ITextEncoder`1";
    public const string Utf8TextEncoder = "Annotated.WebSockets.IUtf8TextEncoder`1";
    public const string TextStreamEncoder = "Annotated.WebSockets.ITextStreamEncoder`1";
    public const string BinaryEncoder = "Annotated.WebSockets.IBinaryEncoder`1";
    public const string BinaryStreamEncoder = "Annotated.WebSockets.IBinaryStreamEncoder`1";

    public const string Task = "System.Threading.Tasks.Task";
    public const string TaskOfT = "System.Threading.Tasks.Task`1";
    public const string ValueTask = "System.Threading.Tasks.ValueTask";
    public const string ValueTaskOfT = "System.Threading.Tasks.ValueTask`1";
    public const string ReadOnlyMemoryOfT = "System.ReadOnlyMemory`1";
    public const string ArraySegmentOfT = "System.ArraySegment`1";
    public const string TextReader = "System.IO.TextReader";
    public const string Stream = "System.IO.Stream";
    public const string Exception = "System.Exception";
    public const string Guid = "System.Guid";
    public const string CancellationToken = "System.Threading.CancellationToken";
}
