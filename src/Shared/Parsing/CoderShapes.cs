using System.Linq;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Whether generated code can create a decoder, encoder or configurator with <c>new T()</c>. The validator
/// reports the problem (AWE0303) and the parser refuses the endpoint on the same answer.
/// </summary>
internal static class CoderShapes
{
    /// <summary>Why <c>new T()</c> cannot be written for <paramref name="type"/> in <paramref name="assembly"/>, in words for a message; null when it can.</summary>
    public static string? ConstructionProblem(ITypeSymbol type, IAssemblySymbol assembly)
    {
        switch (type)
        {
            case INamedTypeSymbol { TypeKind: TypeKind.Interface }:
                return "is an interface";
            case INamedTypeSymbol { IsStatic: true }:
                return "is static";
            case INamedTypeSymbol { IsAbstract: true }:
                return "is abstract";
            case INamedTypeSymbol { IsUnboundGenericType: true }:
                return "is an open generic type";
            case INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named:
                if (!TypeShapes.IsReachableFrom(named, assembly))
                {
                    return "is not accessible to the generated code (it must be public or internal, as must every type containing it)";
                }

                if (named.TypeKind == TypeKind.Class
                    && !named.InstanceConstructors.Any(c => c.Parameters.IsEmpty && TypeShapes.IsReachableFrom(c, assembly)))
                {
                    return "has no public parameterless constructor";
                }

                return HasRequiredMembers(named) ? "has required members, which 'new()' does not set" : null;
            default:
                return "is not a class";
        }
    }

    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    return true;
                }
            }
        }

        return false;
    }
}
