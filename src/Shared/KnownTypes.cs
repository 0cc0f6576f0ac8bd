using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration;

/// <summary>
/// The runtime and BCL types the generator and analyzers compare against, resolved once per compilation.
/// A null member means the compilation does not reference that type (older runtime or no reference).
/// </summary>
internal sealed class KnownTypes
{
    private KnownTypes(Compilation compilation)
    {
        ServerEndpointAttribute = Get(compilation, KnownTypeNames.ServerEndpointAttribute);
        ClientEndpointAttribute = Get(compilation, KnownTypeNames.ClientEndpointAttribute);
        OnOpenAttribute = Get(compilation, KnownTypeNames.OnOpenAttribute);
        OnMessageAttribute = Get(compilation, KnownTypeNames.OnMessageAttribute);
        OnCloseAttribute = Get(compilation, KnownTypeNames.OnCloseAttribute);
        OnErrorAttribute = Get(compilation, KnownTypeNames.OnErrorAttribute);
        PathParamAttribute = Get(compilation, KnownTypeNames.PathParamAttribute);
        SendsMessageAttribute = Get(compilation, KnownTypeNames.SendsMessageAttribute);
        JsonCoder = Get(compilation, KnownTypeNames.JsonCoder);
        BasicRemoteEndpoint = Get(compilation, KnownTypeNames.BasicRemoteEndpoint);
        AsyncRemoteEndpoint = Get(compilation, KnownTypeNames.AsyncRemoteEndpoint);
        WebSocketGroups = Get(compilation, KnownTypeNames.WebSocketGroups);
        PreparedMessage = Get(compilation, KnownTypeNames.PreparedMessage);
        JsonSerializerContext = Get(compilation, KnownTypeNames.JsonSerializerContext);
        WebSocketSession = Get(compilation, KnownTypeNames.WebSocketSession);
        EndpointConfig = Get(compilation, KnownTypeNames.EndpointConfig);
        CloseReason = Get(compilation, KnownTypeNames.CloseReason);
        PongMessage = Get(compilation, KnownTypeNames.PongMessage);
        Utf8Text = Get(compilation, KnownTypeNames.Utf8Text);
        ServerEndpointConfigurator = Get(compilation, KnownTypeNames.ServerEndpointConfigurator);
        ClientEndpointConfigurator = Get(compilation, KnownTypeNames.ClientEndpointConfigurator);
        WebSocketContainer = Get(compilation, KnownTypeNames.WebSocketContainer);
        AnnotatedWebSocketsOptions = Get(compilation, KnownTypeNames.AnnotatedWebSocketsOptions);
        TextDecoder = Get(compilation, KnownTypeNames.TextDecoder);
        Utf8TextDecoder = Get(compilation, KnownTypeNames.Utf8TextDecoder);
        TextStreamDecoder = Get(compilation, KnownTypeNames.TextStreamDecoder);
        BinaryDecoder = Get(compilation, KnownTypeNames.BinaryDecoder);
        BinaryStreamDecoder = Get(compilation, KnownTypeNames.BinaryStreamDecoder);
        TextEncoder = Get(compilation, KnownTypeNames.TextEncoder);
        Utf8TextEncoder = Get(compilation, KnownTypeNames.Utf8TextEncoder);
        TextStreamEncoder = Get(compilation, KnownTypeNames.TextStreamEncoder);
        BinaryEncoder = Get(compilation, KnownTypeNames.BinaryEncoder);
        BinaryStreamEncoder = Get(compilation, KnownTypeNames.BinaryStreamEncoder);
        Task = Get(compilation, KnownTypeNames.Task);
        TaskOfT = Get(compilation, KnownTypeNames.TaskOfT);
        ValueTask = Get(compilation, KnownTypeNames.ValueTask);
        ValueTaskOfT = Get(compilation, KnownTypeNames.ValueTaskOfT);
        ReadOnlyMemoryOfT = Get(compilation, KnownTypeNames.ReadOnlyMemoryOfT);
        ArraySegmentOfT = Get(compilation, KnownTypeNames.ArraySegmentOfT);
        TextReader = Get(compilation, KnownTypeNames.TextReader);
        Stream = Get(compilation, KnownTypeNames.Stream);
        Exception = Get(compilation, KnownTypeNames.Exception);
        Guid = Get(compilation, KnownTypeNames.Guid);
        CancellationToken = Get(compilation, KnownTypeNames.CancellationToken);
        CanStreamSends = BasicRemoteEndpoint is not null
            && !BasicRemoteEndpoint.GetMembers("GetSendWriter").IsEmpty
            && !BasicRemoteEndpoint.GetMembers("GetSendStream").IsEmpty;
    }

    /// <summary>Resolves the known types of <paramref name="compilation"/>.</summary>
    public static KnownTypes Create(Compilation compilation) => new(compilation);

    /// <summary>Whether the runtime's attributes are referenced at all; when not, there is nothing to do.</summary>
    public bool HasRuntime => ServerEndpointAttribute is not null && OnMessageAttribute is not null;

    public INamedTypeSymbol? ServerEndpointAttribute { get; }
    public INamedTypeSymbol? ClientEndpointAttribute { get; }
    public INamedTypeSymbol? OnOpenAttribute { get; }
    public INamedTypeSymbol? OnMessageAttribute { get; }
    public INamedTypeSymbol? OnCloseAttribute { get; }
    public INamedTypeSymbol? OnErrorAttribute { get; }
    public INamedTypeSymbol? PathParamAttribute { get; }
    public INamedTypeSymbol? SendsMessageAttribute { get; }
    public INamedTypeSymbol? JsonCoder { get; }
    public INamedTypeSymbol? BasicRemoteEndpoint { get; }
    public INamedTypeSymbol? AsyncRemoteEndpoint { get; }
    public INamedTypeSymbol? WebSocketGroups { get; }
    public INamedTypeSymbol? PreparedMessage { get; }
    public INamedTypeSymbol? JsonSerializerContext { get; }
    public INamedTypeSymbol? WebSocketSession { get; }
    public INamedTypeSymbol? EndpointConfig { get; }
    public INamedTypeSymbol? CloseReason { get; }
    public INamedTypeSymbol? PongMessage { get; }
    public INamedTypeSymbol? Utf8Text { get; }
    public INamedTypeSymbol? ServerEndpointConfigurator { get; }
    public INamedTypeSymbol? ClientEndpointConfigurator { get; }
    public INamedTypeSymbol? WebSocketContainer { get; }

    /// <summary>The server's options, whose <c>AddMessageRateLimitPolicy</c> calls name the rate-limit policies.</summary>
    public INamedTypeSymbol? AnnotatedWebSocketsOptions { get; }
    public INamedTypeSymbol? TextDecoder { get; }
    public INamedTypeSymbol? Utf8TextDecoder { get; }
    public INamedTypeSymbol? TextStreamDecoder { get; }
    public INamedTypeSymbol? BinaryDecoder { get; }
    public INamedTypeSymbol? BinaryStreamDecoder { get; }
    public INamedTypeSymbol? TextEncoder { get; }
    public INamedTypeSymbol? Utf8TextEncoder { get; }
    public INamedTypeSymbol? TextStreamEncoder { get; }
    public INamedTypeSymbol? BinaryEncoder { get; }
    public INamedTypeSymbol? BinaryStreamEncoder { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? ReadOnlyMemoryOfT { get; }
    public INamedTypeSymbol? ArraySegmentOfT { get; }
    public INamedTypeSymbol? TextReader { get; }
    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? Exception { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>
    /// Whether the referenced runtime's <c>IBasicRemoteEndpoint</c> has <c>GetSendWriter()</c> and
    /// <c>GetSendStream()</c>, so stream encoders write straight into the outgoing message.
    /// </summary>
    public bool CanStreamSends { get; }

    /// <summary>
    /// Resolves a type the way the compiler would for user code: the one from the compilation itself or the
    /// single accessible one among references; null when ambiguous or absent (never throws).
    /// </summary>
    private static INamedTypeSymbol? Get(Compilation compilation, string metadataName)
    {
        var own = compilation.Assembly.GetTypeByMetadataName(metadataName);
        if (own is not null)
        {
            return own;
        }

        INamedTypeSymbol? found = null;
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            var candidate = assembly.GetTypeByMetadataName(metadataName);
            if (candidate is null || !compilation.IsSymbolAccessibleWithin(candidate, compilation.Assembly))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = candidate;
        }

        return found;
    }
}
