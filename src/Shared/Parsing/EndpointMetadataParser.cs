using System.Collections.Generic;
using System.Threading;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Reads the attributes of a server endpoint class that become its route's endpoint metadata, the way
/// ASP.NET Core MVC reads a controller's (<c>GetCustomAttributes(inherit: true)</c>): the class's own
/// attributes, and those of its base classes whose <c>[AttributeUsage]</c> says <c>Inherited = true</c> (the
/// default), a base class's single-use attribute being hidden by one of the same type lower down. A secured
/// base class thus secures every endpoint derived from it, as it would a controller.
/// </summary>
/// <remarks>
/// The result lists base classes' attributes first and the class's own last, so where the last metadata of
/// a kind wins (<c>GetMetadata&lt;T&gt;()</c>) the most derived declaration wins, as route conventions added
/// later win over all of them. Left out: this library's own attributes; attributes generated code cannot
/// create (not accessible from the endpoint's assembly, abstract, an argument it cannot write); attribute
/// classes marked <c>[Conditional]</c>, which are for tools and usually absent from the compiled class; and
/// <c>[Experimental]</c> ones, whose diagnostic generated code could not suppress.
/// </remarks>
internal static class EndpointMetadataParser
{
    public static EquatableArray<AttributeModel> Parse(INamedTypeSymbol type, KnownTypes knownTypes, CancellationToken cancellationToken)
    {
        var assembly = type.ContainingAssembly;
        var ownAssembly = knownTypes.ServerEndpointAttribute?.ContainingAssembly;

        // Most derived first, as the runtime applies inheritance; reversed at the end.
        var levels = new List<List<AttributeData>>();
        var singleUseSeen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var inherited = !SymbolEqualityComparer.Default.Equals(current, type);
            var level = new List<AttributeData>();
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is not { } attributeClass)
                {
                    continue;
                }

                var (allowMultiple, isInherited) = ReadUsage(attributeClass);
                if (inherited && (!isInherited || (!allowMultiple && singleUseSeen.Contains(attributeClass))))
                {
                    continue;
                }

                level.Add(attribute);
            }

            foreach (var attribute in level)
            {
                if (!ReadUsage(attribute.AttributeClass!).AllowMultiple)
                {
                    singleUseSeen.Add(attribute.AttributeClass!);
                }
            }

            levels.Add(level);
        }

        var models = new List<AttributeModel>();
        for (var i = levels.Count - 1; i >= 0; i--)
        {
            foreach (var attribute in levels[i])
            {
                if (attribute.AttributeClass is { } attributeClass
                    && !SymbolEqualityComparer.Default.Equals(attributeClass.ContainingAssembly, ownAssembly)
                    && ToModel(attribute, attributeClass, assembly) is { } model)
                {
                    models.Add(model);
                }
            }
        }

        return models.ToEquatableArray();
    }

    private static AttributeModel? ToModel(AttributeData attribute, INamedTypeSymbol attributeClass, IAssemblySymbol assembly)
    {
        if (attributeClass is IErrorTypeSymbol || attributeClass.IsAbstract
            || !TypeShapes.IsReachableFrom(attributeClass, assembly)
            || attribute.AttributeConstructor is not { } constructor
            || !TypeShapes.IsReachableFrom(constructor, assembly)
            || IsExcluded(attributeClass) || HasSystemAttribute(constructor, "System.Diagnostics.CodeAnalysis", "ExperimentalAttribute"))
        {
            return null;
        }

        var arguments = new List<string>(attribute.ConstructorArguments.Length);
        foreach (var argument in attribute.ConstructorArguments)
        {
            if (AttributeArgumentFormatter.Format(argument, assembly) is not { } text)
            {
                return null;
            }

            arguments.Add(text);
        }

        var named = new List<NamedArgumentModel>(attribute.NamedArguments.Length);
        foreach (var argument in attribute.NamedArguments)
        {
            if (!IsSettable(attributeClass, argument.Key, assembly)
                || AttributeArgumentFormatter.Format(argument.Value, assembly) is not { } text)
            {
                return null;
            }

            named.Add(new NamedArgumentModel(SymbolNames.Identifier(argument.Key), text));
        }

        return new AttributeModel(SymbolNames.FullyQualified(attributeClass), arguments.ToEquatableArray(), named.ToEquatableArray());
    }

    // An object initializer can set the member: a public (or accessible internal) writable property or field.
    private static bool IsSettable(INamedTypeSymbol attributeClass, string name, IAssemblySymbol assembly)
    {
        for (var current = attributeClass; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(name))
            {
                switch (member)
                {
                    case IPropertySymbol { IsStatic: false, SetMethod: { } setter } property:
                        return TypeShapes.IsReachableFrom(setter, assembly)
                            && !HasSystemAttribute(property, "System.Diagnostics.CodeAnalysis", "ExperimentalAttribute");
                    case IFieldSymbol { IsStatic: false, IsReadOnly: false, IsConst: false } field:
                        return TypeShapes.IsReachableFrom(field, assembly)
                            && !HasSystemAttribute(field, "System.Diagnostics.CodeAnalysis", "ExperimentalAttribute");
                    case IPropertySymbol or IFieldSymbol:
                        return false;
                }
            }
        }

        return false;
    }

    private static bool IsExcluded(INamedTypeSymbol attributeClass)
    {
        for (var current = attributeClass; current is not null; current = current.BaseType)
        {
            if (HasSystemAttribute(current, "System.Diagnostics", "ConditionalAttribute"))
            {
                return true;
            }
        }

        return HasSystemAttribute(attributeClass, "System.Diagnostics.CodeAnalysis", "ExperimentalAttribute");
    }

    /// <summary>
    /// The class's <c>[AttributeUsage]</c>, its own or inherited; without one an attribute is single-use and
    /// inherited, as the runtime assumes.
    /// </summary>
    private static (bool AllowMultiple, bool Inherited) ReadUsage(INamedTypeSymbol attributeClass)
    {
        for (var current = attributeClass; current is not null; current = current.BaseType)
        {
            foreach (var usage in current.GetAttributes())
            {
                if (usage.AttributeClass is not { } usageClass || !IsSystemType(usageClass, "System", "AttributeUsageAttribute"))
                {
                    continue;
                }

                bool allowMultiple = false, inherited = true;
                foreach (var argument in usage.NamedArguments)
                {
                    if (argument.Value.Value is bool value)
                    {
                        switch (argument.Key)
                        {
                            case "AllowMultiple":
                                allowMultiple = value;
                                break;
                            case "Inherited":
                                inherited = value;
                                break;
                        }
                    }
                }

                return (allowMultiple, inherited);
            }
        }

        return (false, true);
    }

    private static bool HasSystemAttribute(ISymbol symbol, string ns, string name)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && IsSystemType(attributeClass, ns, name))
            {
                return true;
            }
        }

        return false;
    }

    // These BCL attributes are recognised by namespace and name: a compilation may define its own copy
    // (polyfills do), and the compiler treats those the same way.
    private static bool IsSystemType(INamedTypeSymbol type, string ns, string name) =>
        type.MetadataName == name && type.ContainingType is null
        && type.ContainingNamespace?.ToDisplayString() == ns;
}
