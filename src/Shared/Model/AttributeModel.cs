namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// One attribute of an endpoint class, as the C# the registration writes to create an equal instance of it
/// (<c>new global::X(args) { Name = value }</c>): the attribute becomes endpoint metadata without reflection.
/// </summary>
/// <param name="TypeName">The attribute class as a <c>global::</c>-qualified C# name.</param>
/// <param name="ConstructorArguments">Each constructor argument as a C# expression, in parameter order (defaults included).</param>
/// <param name="NamedArguments">The properties and fields the attribute sets, in declaration order.</param>
internal sealed record AttributeModel(
    string TypeName,
    EquatableArray<string> ConstructorArguments,
    EquatableArray<NamedArgumentModel> NamedArguments);
