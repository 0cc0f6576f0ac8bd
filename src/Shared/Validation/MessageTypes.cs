using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>
/// Which types the container receives, sends and binds natively. These lists are the contract with the
/// generator and the runtime's built-in coders: change them together.
/// </summary>
internal static class MessageTypes
{
    /// <summary>string, bool, char, the integral types, float, double and decimal.</summary>
    public static bool IsTextPrimitive(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
            or SpecialType.System_Decimal => true,
        _ => false,
    };

    /// <summary>A primitive or its nullable form (<c>int</c>, <c>int?</c>).</summary>
    public static bool IsPrimitiveOrNullable(ITypeSymbol type) =>
        IsTextPrimitive(type) || (UnwrapNullable(type) is { } inner && IsTextPrimitive(inner));

    public static ITypeSymbol? UnwrapNullable(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            ? nullable.TypeArguments[0]
            : null;

    public static bool IsString(ITypeSymbol type) => type.SpecialType == SpecialType.System_String;

    public static bool IsByteArray(ITypeSymbol type) =>
        type is IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Byte };

    public static bool IsGenericOfByte(ITypeSymbol type, INamedTypeSymbol? definition) =>
        definition is not null
        && type is INamedTypeSymbol { IsGenericType: true } named
        && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, definition)
        && named.TypeArguments[0].SpecialType == SpecialType.System_Byte;

    public static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);

    /// <summary>Whether a value of <paramref name="from"/> can be passed where <paramref name="to"/> is expected (identity or reference conversion).</summary>
    public static bool IsAssignableTo(ITypeSymbol from, ITypeSymbol to)
    {
        if (SymbolEqualityComparer.Default.Equals(from, to) || to.SpecialType == SpecialType.System_Object)
        {
            return true;
        }

        for (var type = from.BaseType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, to))
            {
                return true;
            }
        }

        foreach (var face in from.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(face, to))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The types a [PathParam] converts to: string, primitives, decimal, Guid and their nullable forms.</summary>
    public static bool IsPathParameterType(ITypeSymbol type, KnownTypes knownTypes)
    {
        if (IsString(type) || IsTextPrimitive(type) || Is(type, knownTypes.Guid))
        {
            return true;
        }

        return UnwrapNullable(type) is { } inner && (IsTextPrimitive(inner) || Is(inner, knownTypes.Guid));
    }

    public static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    public static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;
}
