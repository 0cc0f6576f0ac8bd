namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// One coder interface a declared decoder or encoder implements, e.g. <c>ITextDecoder&lt;Order&gt;</c> of
/// <c>OrderDecoder</c>. A coder implementing several interfaces gives several uses sharing one instance.
/// </summary>
/// <param name="Instance">The index of the coder instance in <see cref="EndpointModel.Coders"/>.</param>
/// <param name="Kind">The interface.</param>
/// <param name="ValueTypeName">The interface's <c>T</c> as a <c>global::</c>-qualified name.</param>
/// <param name="PatternTypeName">The type to test a value against (<c>T</c> without <c>?</c>: patterns cannot name nullable value types).</param>
internal sealed record CoderUse(int Instance, CoderKind Kind, string ValueTypeName, string PatternTypeName);
