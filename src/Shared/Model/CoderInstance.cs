namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>A declared decoder or encoder type; the dispatcher holds one instance of it per session.</summary>
/// <param name="TypeName">The coder type as a <c>global::</c>-qualified name.</param>
/// <param name="IsValueType">Whether it is a struct: the field then holds it boxed as <c>ICoder</c> so <c>Init</c> and later calls see one instance.</param>
/// <param name="IsJsonCoder">Whether it implements <c>IJsonCoder</c>, so its messages' JSON contract can be described.</param>
internal sealed record CoderInstance(string TypeName, bool IsValueType, bool IsJsonCoder = false);
