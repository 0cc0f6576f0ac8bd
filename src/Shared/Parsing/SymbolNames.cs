using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>The strings the model stores in place of symbols.</summary>
internal static class SymbolNames
{
    /// <summary>The type as C# with <c>global::</c> on every named type (<c>global::MyApp.ChatEndpoint</c>, <c>int?</c>, <c>byte[]</c>).</summary>
    public static string FullyQualified(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The fully qualified metadata name: namespace, then containing types joined by <c>+</c> (<c>MyApp.Outer+Chat</c>).</summary>
    public static string MetadataName(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        var ns = Namespace(type);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The type's namespace, or the empty string for the global namespace.</summary>
    public static string Namespace(INamedTypeSymbol type) =>
        type.ContainingNamespace is null or { IsGlobalNamespace: true }
            ? string.Empty
            : type.ContainingNamespace.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Substring("global::".Length);

    /// <summary>The type's name and its containing types' names, outermost first, joined by <paramref name="separator"/>.</summary>
    public static string FlatName(INamedTypeSymbol type, string separator = "_")
    {
        var names = new List<string> { type.Name };
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            names.Insert(0, containing.Name);
        }

        return string.Join(separator, names);
    }

    /// <summary>The identifier as it must appear in C#: keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
}
