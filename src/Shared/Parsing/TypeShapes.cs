using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>Recognises the parameter and return types handlers may use.</summary>
internal static class TypeShapes
{
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? known) =>
        type is not null && known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>Whether <paramref name="type"/> is <paramref name="known"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? known)
    {
        if (known is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, known))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="genericDefinition"/> closed over <c>byte</c>.</summary>
    public static bool IsOfByte(ITypeSymbol type, INamedTypeSymbol? genericDefinition) =>
        genericDefinition is not null
        && type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, genericDefinition)
        && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    public static bool IsByteArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    public static bool IsString(ITypeSymbol type) => type.SpecialType == SpecialType.System_String;

    public static bool IsBoolean(ITypeSymbol type) => type.SpecialType == SpecialType.System_Boolean;

    /// <summary>The <c>T</c> of <c>T?</c> when <paramref name="type"/> is a nullable value type; otherwise null.</summary>
    public static ITypeSymbol? NullableUnderlying(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } named
            ? named.TypeArguments[0]
            : null;

    /// <summary>The numeric types that format and parse with the invariant culture.</summary>
    public static bool IsNumber(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double
            or SpecialType.System_Decimal => true,
        _ => false,
    };

    /// <summary>
    /// Whether code in <paramref name="assembly"/> can name <paramref name="symbol"/>: it and every type
    /// containing it are public, or internal to an assembly that gives <paramref name="assembly"/> access.
    /// </summary>
    public static bool IsReachableFrom(ISymbol symbol, IAssemblySymbol assembly)
    {
        switch (symbol)
        {
            case IArrayTypeSymbol array:
                return IsReachableFrom(array.ElementType, assembly);
            case ITypeParameterSymbol or IErrorTypeSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return false;
            // An unbound generic type (typeof(List<>)) has no type arguments to check, only its name.
            case INamedTypeSymbol { IsGenericType: true, IsUnboundGenericType: false } generic:
                foreach (var argument in generic.TypeArguments)
                {
                    if (!IsReachableFrom(argument, assembly))
                    {
                        return false;
                    }
                }

                break;
        }

        if (symbol is ITypeSymbol { SpecialType: not SpecialType.None } || symbol is IDynamicTypeSymbol)
        {
            return true;
        }

        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current is INamedTypeSymbol { IsFileLocal: true })
            {
                return false;
            }

            switch (current.DeclaredAccessibility)
            {
                case Accessibility.Public:
                    break;
                case Accessibility.Internal or Accessibility.ProtectedOrInternal:
                    if (!SymbolEqualityComparer.Default.Equals(current.ContainingAssembly, assembly)
                        && current.ContainingAssembly?.GivesAccessTo(assembly) != true)
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }
}
