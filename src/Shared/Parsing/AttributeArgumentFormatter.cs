using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Writes an attribute argument (a <see cref="TypedConstant"/>) as the C# expression that produces the same
/// value in generated code: literals typed exactly as the argument was (<c>(byte)1</c>, <c>2L</c>), enum
/// members by name, <c>typeof(global::X)</c>, arrays and typed nulls, so overload resolution picks the
/// constructor the attribute used. The constant cannot outlive the transform, its text can.
/// </summary>
internal static class AttributeArgumentFormatter
{
    /// <summary>
    /// The expression for <paramref name="constant"/>, or null when generated code in <paramref name="assembly"/>
    /// cannot write it (an erroneous argument, or a type it cannot name).
    /// </summary>
    public static string? Format(TypedConstant constant, IAssemblySymbol assembly)
    {
        switch (constant.Kind)
        {
            case TypedConstantKind.Array:
                return FormatArray(constant, assembly);
            case TypedConstantKind.Type:
                if (constant.Value is null)
                {
                    return TypedNull(constant.Type, assembly);
                }

                return constant.Value is ITypeSymbol type && TypeShapes.IsReachableFrom(type, assembly)
                    ? $"typeof({SymbolNames.FullyQualified(type)})"
                    : null;
            case TypedConstantKind.Enum:
                return constant.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType && constant.Value is not null
                    && TypeShapes.IsReachableFrom(enumType, assembly)
                    ? FormatEnum(enumType, constant.Value)
                    : null;
            case TypedConstantKind.Primitive:
                return constant.Value is null ? TypedNull(constant.Type, assembly) : FormatPrimitive(constant.Value);
            default:
                return null;
        }
    }

    private static string? FormatArray(TypedConstant constant, IAssemblySymbol assembly)
    {
        if (constant.Type is not IArrayTypeSymbol { Rank: 1 } arrayType || !TypeShapes.IsReachableFrom(arrayType, assembly))
        {
            return null;
        }

        if (constant.IsNull)
        {
            return TypedNull(arrayType, assembly);
        }

        var elements = new List<string>(constant.Values.Length);
        foreach (var element in constant.Values)
        {
            if (Format(element, assembly) is not { } text)
            {
                return null;
            }

            elements.Add(text);
        }

        var elementType = SymbolNames.FullyQualified(arrayType.ElementType);
        return elements.Count == 0
            ? $"global::System.Array.Empty<{elementType}>()"
            : $"new {elementType}[] {{ {string.Join(", ", elements)} }}";
    }

    // `null` alone could fit several constructors; the cast keeps the one the attribute used. The `!` keeps
    // nullable warnings out of generated code: the attribute passed null whatever the parameter's annotation.
    private static string? TypedNull(ITypeSymbol? type, IAssemblySymbol assembly) =>
        type is null || type.IsValueType || !TypeShapes.IsReachableFrom(type, assembly)
            ? null
            : $"({SymbolNames.FullyQualified(type)})null!";

    private static string FormatEnum(INamedTypeSymbol enumType, object value)
    {
        var typeName = SymbolNames.FullyQualified(enumType);
        foreach (var member in enumType.GetMembers())
        {
            // Of several names for the value, an obsolete one could be an error in generated code.
            if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, value) && !IsObsolete(field))
            {
                return $"{typeName}.{SymbolNames.Identifier(field.Name)}";
            }
        }

        if (IsFlags(enumType) && FormatFlags(enumType, typeName, value) is { } flags)
        {
            return flags;
        }

        // A value without a name: the number, cast.
        return $"({typeName})({FormatPrimitive(value)})";
    }

    // A combination of [Flags] members, as `A | B`, when named members make up exactly that value.
    private static string? FormatFlags(INamedTypeSymbol enumType, string typeName, object value)
    {
        var remaining = ToBits(value);
        var members = new List<(ulong Bits, string Name)>();
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true, ConstantValue: { } constant } field && !IsObsolete(field) && ToBits(constant) != 0)
            {
                members.Add((ToBits(constant), field.Name));
            }
        }

        // Largest values first, so a named combination (ReadWrite) is used whole; written smallest first.
        members.Sort(static (left, right) => right.Bits.CompareTo(left.Bits));
        var parts = new List<string>();
        foreach (var (bits, name) in members)
        {
            if ((remaining & bits) == bits)
            {
                parts.Add($"{typeName}.{SymbolNames.Identifier(name)}");
                remaining &= ~bits;
            }
        }

        if (remaining != 0 || parts.Count == 0)
        {
            return null;
        }

        parts.Reverse();
        return string.Join(" | ", parts);
    }

    private static bool IsFlags(INamedTypeSymbol enumType)
    {
        foreach (var attribute in enumType.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "FlagsAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    // The value's bits whatever the enum's underlying type; sign-extension is harmless for a bit test.
    private static ulong ToBits(object value) => value switch
    {
        ulong number => number,
        uint number => number,
        ushort number => number,
        byte number => number,
        _ => unchecked((ulong)System.Convert.ToInt64(value, CultureInfo.InvariantCulture)),
    };

    private static bool IsObsolete(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ObsoleteAttribute", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    private static string FormatPrimitive(object value) => value switch
    {
        string text => SymbolDisplay.FormatLiteral(text, quote: true),
        char character => SymbolDisplay.FormatLiteral(character, quote: true),
        bool flag => flag ? "true" : "false",
        sbyte number => $"(sbyte)({number.ToString(CultureInfo.InvariantCulture)})",
        byte number => $"(byte){number.ToString(CultureInfo.InvariantCulture)}",
        short number => $"(short)({number.ToString(CultureInfo.InvariantCulture)})",
        ushort number => $"(ushort){number.ToString(CultureInfo.InvariantCulture)}",
        int number => number.ToString(CultureInfo.InvariantCulture),
        uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
        float number => FormatFloat(number),
        double number => FormatDouble(number),
        _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false),
    };

    private static string FormatFloat(float number)
    {
        if (float.IsNaN(number))
        {
            return "float.NaN";
        }

        if (float.IsInfinity(number))
        {
            return number > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
        }

        return number.ToString("R", CultureInfo.InvariantCulture) + "F";
    }

    private static string FormatDouble(double number)
    {
        if (double.IsNaN(number))
        {
            return "double.NaN";
        }

        if (double.IsInfinity(number))
        {
            return number > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
        }

        return number.ToString("R", CultureInfo.InvariantCulture) + "D";
    }
}
