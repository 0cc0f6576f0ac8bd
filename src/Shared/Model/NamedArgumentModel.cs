namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>A property or field an attribute application sets (<c>[Authorize(Policy = "admin")]</c>).</summary>
/// <param name="Name">The member name, escaped with <c>@</c> when it is a keyword.</param>
/// <param name="Value">The value as a C# expression.</param>
internal sealed record NamedArgumentModel(string Name, string Value);
