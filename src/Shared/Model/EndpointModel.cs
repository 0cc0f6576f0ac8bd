namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// Everything the emitter needs to write one endpoint's dispatcher, as plain strings and values so the
/// incremental pipeline can compare it with the previous run and skip unchanged endpoints.
/// </summary>
/// <param name="MetadataName">The fully qualified metadata name (<c>MyApp.Outer+ChatEndpoint</c>); names the generated file.</param>
/// <param name="Namespace">The endpoint's namespace, or the empty string for the global namespace.</param>
/// <param name="TypeName">The endpoint type as a <c>global::</c>-qualified C# name.</param>
/// <param name="DispatcherName">The simple name of the generated dispatcher class.</param>
/// <param name="IsClientEndpoint">Whether the class carries <c>[ClientEndpoint]</c> rather than <c>[ServerEndpoint]</c>.</param>
/// <param name="Path">The server endpoint's URI template; null for a client endpoint.</param>
/// <param name="Subprotocols">The attribute's subprotocols, in declaration order.</param>
/// <param name="Decoders">The decoder types as <c>global::</c>-qualified names, in declaration order.</param>
/// <param name="Encoders">The encoder types as <c>global::</c>-qualified names, in declaration order.</param>
/// <param name="Configurator">The configurator type as a <c>global::</c>-qualified name, or null.</param>
/// <param name="ConstructorParameters">The parameter types of the constructor used to create instances; empty for <c>new T()</c>.</param>
/// <param name="OnOpen">The <c>[OnOpen]</c> method, or null.</param>
/// <param name="OnClose">The <c>[OnClose]</c> method, or null.</param>
/// <param name="OnError">The <c>[OnError]</c> method, or null.</param>
/// <param name="Text">The text message method (whole, partial or streamed), or null.</param>
/// <param name="Binary">The binary message method (whole, partial or streamed), or null.</param>
/// <param name="Pong">The <c>PongMessage</c> method, or null.</param>
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
    string? Configurator,
    EquatableArray<string> ConstructorParameters,
    HandlerModel? OnOpen,
    HandlerModel? OnClose,
    HandlerModel? OnError,
    HandlerModel? Text,
    HandlerModel? Binary,
    HandlerModel? Pong)
{
    /// <summary>The dispatcher as a <c>global::</c>-qualified C# name.</summary>
    public string DispatcherTypeName =>
        Namespace.Length == 0 ? $"global::{DispatcherName}" : $"global::{Namespace}.{DispatcherName}";
}
