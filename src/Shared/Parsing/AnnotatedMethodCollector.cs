using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Finds an endpoint's handler methods the way the Jakarta TCK reads Java reflection: the class's own
/// annotated methods plus the annotated methods it inherits from base classes, except those it overrides.
/// An override replaces its base method whether or not it is annotated again, so an override without the
/// attribute switches the callback off (spec §4.8).
/// </summary>
internal static class AnnotatedMethodCollector
{
    /// <summary>The handler methods of <paramref name="endpointType"/>, most derived class first, in declaration order.</summary>
    public static List<AnnotatedMethod> Collect(INamedTypeSymbol endpointType, KnownTypes knownTypes, CancellationToken cancellationToken)
    {
        var found = new List<AnnotatedMethod>();
        var replaced = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        for (var type = endpointType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
                {
                    continue;
                }

                var isReplaced = replaced.Contains(method.OriginalDefinition);
                for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    replaced.Add(overridden.OriginalDefinition);
                }

                if (isReplaced)
                {
                    continue;
                }

                foreach (var attribute in method.GetAttributes())
                {
                    if (GetRole(attribute.AttributeClass, knownTypes) is { } role)
                    {
                        found.Add(new AnnotatedMethod(method, role, attribute));
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The role an attribute class gives a method, or null when it is not a handler attribute.</summary>
    public static HandlerRole? GetRole(INamedTypeSymbol? attributeClass, KnownTypes knownTypes)
    {
        if (attributeClass is null)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, knownTypes.OnMessageAttribute))
        {
            return HandlerRole.Message;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, knownTypes.OnOpenAttribute))
        {
            return HandlerRole.Open;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, knownTypes.OnCloseAttribute))
        {
            return HandlerRole.Close;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, knownTypes.OnErrorAttribute))
        {
            return HandlerRole.Error;
        }

        return null;
    }
}
