using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>A method carrying one of the handler attributes, with that attribute.</summary>
/// <param name="Method">The method, possibly declared in a base class.</param>
/// <param name="Role">Which attribute it carries.</param>
/// <param name="Attribute">The attribute as applied, to read <c>MaxMessageSize</c> from.</param>
internal readonly record struct AnnotatedMethod(IMethodSymbol Method, HandlerRole Role, AttributeData Attribute);
