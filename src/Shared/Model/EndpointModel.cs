namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// Everything the emitter needs to write one endpoint's dispatcher, as plain strings and values so the
/// incremental pipeline can compare it with the previous run and skip unchanged endpoints.
/// </summary>
/// <param name="MetadataName">The fully qualified metadata name (<c>MyApp.Outer+ChatEndpoint</c>); names the generated file.</param>
/// <param name="Namespace">The endpoint's namespace, or the empty string for the global namespace.</param>
/// <param name="TypeName">The endpoint type as a <c>global::</c>-qualified C# name.</param>
/// <param name="DispatcherName">
/// The simple name of the generated dispatcher class. It lives in the nested namespace
/// <see cref="GeneratedNamespace"/> so it cannot collide with a type of the user's.
/// </param>
/// <param name="IsClientEndpoint">Whether the class carries <c>[ClientEndpoint]</c> rather than <c>[ServerEndpoint]</c>.</param>
/// <param name="Path">The server endpoint's URI template; null for a client endpoint.</param>
/// <param name="Subprotocols">The attribute's subprotocols, in declaration order.</param>
/// <param name="Decoders">The decoder types as <c>global::</c>-qualified names, in declaration order.</param>
/// <param name="Encoders">The encoder types as <c>global::</c>-qualified names, in declaration order.</param>
/// <param name="Coders">The distinct decoder and encoder types, one instance of each per session, in declaration order.</param>
/// <param name="EncoderUses">The encoders' interfaces in declaration order, as <c>TrySendObjectAsync</c> tests them.</param>
/// <param name="CanStreamSends">Whether the runtime offers <c>GetSendWriter()</c>/<c>GetSendStream()</c> for stream encoders.</param>
/// <param name="Configurator">The configurator type as a <c>global::</c>-qualified name, or null.</param>
/// <param name="ConstructorParameters">The parameter types of the constructor used to create instances; empty for <c>new T()</c>.</param>
/// <param name="CanCreate">
/// Whether the registration can create instances; false only for a client endpoint without a usable
/// constructor, which the application connects as an instance.
/// </param>
/// <param name="Metadata">
/// The server endpoint class's attributes (base classes' inheritable ones first), other than this library's
/// own, which the registration reproduces as endpoint metadata; empty for a client endpoint.
/// </param>
/// <param name="OnOpen">The <c>[OnOpen]</c> method, or null.</param>
/// <param name="OnClose">The <c>[OnClose]</c> method, or null.</param>
/// <param name="OnError">The <c>[OnError]</c> method, or null.</param>
/// <param name="Text">The text message method (whole, partial or streamed), or null.</param>
/// <param name="Binary">The binary message method (whole, partial or streamed), or null.</param>
/// <param name="Pong">The <c>PongMessage</c> method, or null.</param>
/// <param name="Description">What the server endpoint's AsyncAPI document and TypeScript client say of it; null for a client endpoint.</param>
/// <param name="RateLimitPolicy">The server endpoint's <c>RateLimitPolicy</c>, or null.</param>
/// <param name="RequireSecureConnection">The server endpoint's <c>RequireSecureConnection</c> (only <c>wss</c> handshakes).</param>
internal sealed record EndpointModel(
    string MetadataName,
    string Namespace,
    string TypeName,
    string DispatcherName,
    bool IsClientEndpoint,
    string? Path,
    EquatableArray<string> Subprotocols,
    EquatableArray<string> Decoders,
    EquatableArray<string> Encoders,
    EquatableArray<CoderInstance> Coders,
    EquatableArray<CoderUse> EncoderUses,
    bool CanStreamSends,
    string? Configurator,
    EquatableArray<string> ConstructorParameters,
    bool CanCreate,
    EquatableArray<AttributeModel> Metadata,
    HandlerModel? OnOpen,
    HandlerModel? OnClose,
    HandlerModel? OnError,
    HandlerModel? Text,
    HandlerModel? Binary,
    HandlerModel? Pong,
    DescriptionModel? Description = null,
    string? RateLimitPolicy = null,
    bool RequireSecureConnection = false)
{
    /// <summary>The last part of the namespace generated dispatchers live in, a name no user writes.</summary>
    public const string GeneratedNamespaceName = "AnnotatedWebSocketsGenerated";

    /// <summary>The namespace of the dispatcher: <see cref="GeneratedNamespaceName"/> inside the endpoint's namespace.</summary>
    public string GeneratedNamespace =>
        Namespace.Length == 0 ? GeneratedNamespaceName : $"{Namespace}.{GeneratedNamespaceName}";

    /// <summary>
    /// Whether creating an instance resolves constructor arguments from the connection's services; false
    /// for <c>new T()</c> (and for a client endpoint the container cannot create at all).
    /// </summary>
    public bool UsesServices => CanCreate && !ConstructorParameters.IsEmpty;

    /// <summary>The simple name of the generated class describing the endpoint, beside the dispatcher.</summary>
    public string DescriptionName => DispatcherName.Substring(0, DispatcherName.Length - "Dispatcher".Length) + "Description";

    /// <summary>The dispatcher as a <c>global::</c>-qualified C# name.</summary>
    public string DispatcherTypeName => $"global::{GeneratedNamespace}.{DispatcherName}";
}
