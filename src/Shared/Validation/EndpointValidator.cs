using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration;

/// <summary>
/// The one place that decides whether an endpoint class is valid. The analyzers call it with a reporter and
/// turn every problem into a diagnostic; the generator calls it without one and emits nothing for an invalid
/// endpoint. So "the generator skips it" and "the analyzer reports it" cannot drift apart.
/// </summary>
internal static partial class EndpointValidator
{
    /// <summary>
    /// True when <paramref name="endpointType"/> (a [ServerEndpoint] or [ClientEndpoint] class) has no
    /// error-level problem; warnings do not make it invalid. A class with neither attribute is not an
    /// endpoint and is reported as invalid without a diagnostic.
    /// </summary>
    public static bool IsValid(INamedTypeSymbol endpointType, KnownTypes knownTypes, Action<Diagnostic>? report, CancellationToken cancellationToken)
    {
        var serverAttribute = FindAttribute(endpointType, knownTypes.ServerEndpointAttribute);
        var clientAttribute = FindAttribute(endpointType, knownTypes.ClientEndpointAttribute);
        var endpointAttribute = serverAttribute ?? clientAttribute;
        if (endpointAttribute is null)
        {
            return false;
        }

        var context = new EndpointValidationContext(endpointType, knownTypes, report, cancellationToken);
        var isServer = serverAttribute is not null;
        if (serverAttribute is not null && clientAttribute is not null)
        {
            context.Report(DiagnosticDescriptors.BothEndpointAttributes, static c => c.ClassLocation(), endpointType.Name);
        }

        CheckClass(context, isServer);
        cancellationToken.ThrowIfCancellationRequested();

        var template = isServer ? CheckPath(context, endpointAttribute) : null;
        if (isServer)
        {
            CheckRateLimitPolicy(context, endpointAttribute, endpointType);
        }

        cancellationToken.ThrowIfCancellationRequested();

        var coders = EndpointCoders.Read(context, endpointAttribute, isServer);
        cancellationToken.ThrowIfCancellationRequested();

        CheckHandlers(context, new EndpointShape(isServer, template, coders));
        return context.IsValid;
    }

    /// <summary>
    /// The path of a [ServerEndpoint] when it is a valid template, for the cross-endpoint duplicate rule;
    /// null when the attribute is missing or the path is invalid (that is reported by <see cref="IsValid"/>).
    /// </summary>
    public static EndpointPathTemplate? TryGetPathTemplate(INamedTypeSymbol endpointType, KnownTypes knownTypes, out AttributeData? serverAttribute)
    {
        serverAttribute = FindAttribute(endpointType, knownTypes.ServerEndpointAttribute);
        if (serverAttribute is null || serverAttribute.ConstructorArguments.Length != 1)
        {
            return null;
        }

        var path = serverAttribute.ConstructorArguments[0].Value as string;
        return EndpointPathTemplate.TryParse(path, out var template, out _) == PathTemplateProblem.None ? template : null;
    }

    internal static AttributeData? FindAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }

    private static void CheckClass(EndpointValidationContext context, bool isServer)
    {
        var type = context.EndpointType;
        var attributeName = isServer ? "ServerEndpoint" : "ClientEndpoint";
        var accessibility = AccessibilityProblem(type, isServer);
        if (accessibility is not null)
        {
            context.Report(
                DiagnosticDescriptors.EndpointNotAccessible,
                static c => c.ClassLocation(),
                type.Name,
                attributeName,
                accessibility,
                isServer ? "a server endpoint class and every type containing it must be public" : "a client endpoint class must be accessible from the generated dispatcher, so public or internal");
        }

        if (type.IsStatic)
        {
            context.Report(DiagnosticDescriptors.EndpointStatic, static c => c.ClassLocation(), type.Name, attributeName);
        }
        else if (type.IsAbstract)
        {
            context.Report(DiagnosticDescriptors.EndpointAbstract, static c => c.ClassLocation(), type.Name, attributeName);
        }

        if (type.IsGenericType)
        {
            context.Report(DiagnosticDescriptors.EndpointGeneric, static c => c.ClassLocation(), type.Name, attributeName);
        }

        if (type.IsStatic || type.IsAbstract)
        {
            return;
        }

        if (isServer && !type.InstanceConstructors.Any(static c => c.DeclaredAccessibility == Accessibility.Public))
        {
            context.Report(DiagnosticDescriptors.EndpointNoPublicConstructor, static c => c.ClassLocation(), type.Name, attributeName, "has no public constructor");
        }
        else if (isServer && accessibility is null && EndpointParser.ConstructorProblem(type, type.ContainingAssembly) is { } problem)
        {
            // The parser asks the same question, so an endpoint accepted here always gets its factory generated.
            // (An inaccessible class already has AWE0001, which also makes its constructors unreachable.) A client
            // endpoint without one is valid: it is connected as an instance the application creates.
            context.Report(DiagnosticDescriptors.EndpointNoPublicConstructor, static c => c.ClassLocation(), type.Name, attributeName, problem);
        }
    }

    /// <summary>Why the class cannot be reached, in words for the message; null when it can.</summary>
    private static string? AccessibilityProblem(INamedTypeSymbol type, bool isServer)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var accessibility = current.DeclaredAccessibility;
            var ok = isServer
                ? accessibility == Accessibility.Public
                : accessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
            if (!ok)
            {
                var word = AccessibilityWord(accessibility);
                return SymbolEqualityComparer.Default.Equals(current, type)
                    ? $"is {word}"
                    : $"is nested in '{current.Name}', which is {word}";
            }
        }

        return null;
    }

    private static string AccessibilityWord(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Private => "private",
        Accessibility.ProtectedAndInternal => "private protected",
        Accessibility.Protected => "protected",
        Accessibility.Internal => "internal",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.Public => "public",
        _ => "not accessible",
    };

    private static EndpointPathTemplate? CheckPath(EndpointValidationContext context, AttributeData attribute)
    {
        var path = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null;
        var problem = EndpointPathTemplate.TryParse(path, out var template, out var detail);
        var name = context.EndpointType.Name;
        Func<EndpointValidationContext, Location> where = c => c.AttributeArgumentLocation(attribute, null, 0, c.EndpointType);
        switch (problem)
        {
            case PathTemplateProblem.Empty:
                context.Report(DiagnosticDescriptors.PathEmpty, where, name);
                break;
            case PathTemplateProblem.NotRooted:
                context.Report(DiagnosticDescriptors.PathNotRooted, where, name, path);
                break;
            case PathTemplateProblem.Malformed:
                context.Report(DiagnosticDescriptors.PathMalformed, where, name, path, detail);
                break;
        }

        return template;
    }

    /// <summary>What the handler rules need to know about the endpoint besides its methods.</summary>
    private sealed class EndpointShape
    {
        public EndpointShape(bool isServer, EndpointPathTemplate? template, EndpointCoders coders)
        {
            IsServer = isServer;
            Template = template;
            Coders = coders;
        }

        public bool IsServer { get; }

        /// <summary>Null for client endpoints and for an invalid path (then [PathParam] names are not checked).</summary>
        public EndpointPathTemplate? Template { get; }

        public EndpointCoders Coders { get; }
    }

    /// <summary>An annotated method of the endpoint or of one of its base classes.</summary>
    private sealed class Handler
    {
        public Handler(IMethodSymbol method, HandlerKind kind, AttributeData attribute)
        {
            Method = method;
            Kind = kind;
            Attribute = attribute;
        }

        public IMethodSymbol Method { get; }

        public HandlerKind Kind { get; }

        public AttributeData Attribute { get; }
    }

    /// <summary>Handlers in declaration order, base classes first, so a duplicate lands on the most derived method.</summary>
    private static List<Handler> CollectHandlers(EndpointValidationContext context, out List<(IMethodSymbol Method, HandlerKind First, HandlerKind Second)> conflicts)
    {
        conflicts = [];
        var known = context.KnownTypes;
        var chain = new List<INamedTypeSymbol>();
        for (var type = context.EndpointType; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            chain.Add(type);
        }

        var overridden = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var type in chain)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method)
                {
                    for (var baseMethod = method.OverriddenMethod; baseMethod is not null; baseMethod = baseMethod.OverriddenMethod)
                    {
                        overridden.Add(baseMethod.OriginalDefinition);
                    }
                }
            }
        }

        var handlers = new List<Handler>();
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            foreach (var member in chain[i].GetMembers())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method || overridden.Contains(method.OriginalDefinition))
                {
                    continue;
                }

                Handler? found = null;
                foreach (var attribute in method.GetAttributes())
                {
                    var kind = KindOf(attribute.AttributeClass, known);
                    if (kind is null)
                    {
                        continue;
                    }

                    if (found is null)
                    {
                        found = new Handler(method, kind.Value, attribute);
                    }
                    else
                    {
                        conflicts.Add((method, found.Kind, kind.Value));
                    }
                }

                if (found is not null)
                {
                    handlers.Add(found);
                }
            }
        }

        return handlers;
    }

    internal static HandlerKind? KindOf(INamedTypeSymbol? attributeClass, KnownTypes known)
    {
        if (attributeClass is null)
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, known.OnMessageAttribute))
        {
            return HandlerKind.OnMessage;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, known.OnOpenAttribute))
        {
            return HandlerKind.OnOpen;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, known.OnCloseAttribute))
        {
            return HandlerKind.OnClose;
        }

        if (SymbolEqualityComparer.Default.Equals(attributeClass, known.OnErrorAttribute))
        {
            return HandlerKind.OnError;
        }

        return null;
    }

    internal static string AttributeName(HandlerKind kind) => kind.ToString();
}
