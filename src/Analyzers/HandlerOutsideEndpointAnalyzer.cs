using System.Collections.Concurrent;
using System.Collections.Immutable;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Warns about [OnOpen]/[OnMessage]/[OnClose]/[OnError] methods that nothing ever calls: in a class without an
/// endpoint attribute that no endpoint inherits them from. A class that cannot be a base class (sealed,
/// static, a struct) or that derives from an endpoint without the attribute itself (spec §4.8) is reported
/// at once (AWE0006). Any other class may be the base of an endpoint, which only the end of the compilation
/// can tell (AWE0009). Abstract classes are left alone: they exist to be inherited, possibly elsewhere.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerOutsideEndpointAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.HandlerOutsideEndpoint, DiagnosticDescriptors.HandlerInUnusedClass);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var knownTypes = KnownTypes.Create(start.Compilation);
            if (!knownTypes.HasRuntime)
            {
                return;
            }

            var endpointBases = new ConcurrentDictionary<INamedTypeSymbol, byte>(SymbolEqualityComparer.Default);
            var candidates = new ConcurrentBag<INamedTypeSymbol>();
            start.RegisterSymbolAction(
                symbolContext => Analyze(symbolContext, knownTypes, endpointBases, candidates),
                SymbolKind.NamedType);
            start.RegisterCompilationEndAction(endContext =>
            {
                foreach (var type in candidates)
                {
                    if (!endpointBases.ContainsKey(type.OriginalDefinition))
                    {
                        Report(endContext.ReportDiagnostic, DiagnosticDescriptors.HandlerInUnusedClass, type, knownTypes, reason: null, endContext.CancellationToken);
                    }
                }
            });
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownTypes knownTypes, ConcurrentDictionary<INamedTypeSymbol, byte> endpointBases, ConcurrentBag<INamedTypeSymbol> candidates)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return;
        }

        if (IsEndpoint(type, knownTypes))
        {
            for (var baseType = type.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
            {
                endpointBases.TryAdd(baseType.OriginalDefinition, 0);
            }

            return;
        }

        if ((type.IsAbstract && !type.IsStatic) || !HasHandlerAttribute(type, knownTypes))
        {
            return;
        }

        var endpointBase = EndpointBase(type, knownTypes);
        if (endpointBase is not null)
        {
            Report(context.ReportDiagnostic, DiagnosticDescriptors.HandlerOutsideEndpoint, type, knownTypes, $" (it derives from the endpoint '{endpointBase.Name}', but endpoint attributes are not inherited)", context.CancellationToken);
        }
        else if (type.IsSealed || type.IsStatic || type.TypeKind == TypeKind.Struct)
        {
            Report(context.ReportDiagnostic, DiagnosticDescriptors.HandlerOutsideEndpoint, type, knownTypes, " and cannot be a base class of one", context.CancellationToken);
        }
        else
        {
            candidates.Add(type);
        }
    }

    private static void Report(System.Action<Diagnostic> report, DiagnosticDescriptor descriptor, INamedTypeSymbol type, KnownTypes knownTypes, string? reason, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method || method.Locations.IsEmpty)
            {
                continue;
            }

            foreach (var attribute in method.GetAttributes())
            {
                var kind = EndpointValidator.KindOf(attribute.AttributeClass, knownTypes);
                if (kind is null)
                {
                    continue;
                }

                var name = type.Name + "." + method.Name;
                var attributeName = EndpointValidator.AttributeName(kind.Value);
                report(reason is null
                    ? Diagnostic.Create(descriptor, method.Locations[0], name, attributeName, type.Name)
                    : Diagnostic.Create(descriptor, method.Locations[0], name, attributeName, type.Name, reason));
                break;
            }
        }
    }

    private static bool HasHandlerAttribute(INamedTypeSymbol type, KnownTypes knownTypes)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol method)
            {
                foreach (var attribute in method.GetAttributes())
                {
                    if (EndpointValidator.KindOf(attribute.AttributeClass, knownTypes) is not null)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsEndpoint(INamedTypeSymbol type, KnownTypes knownTypes) =>
        EndpointValidator.FindAttribute(type, knownTypes.ServerEndpointAttribute) is not null
        || EndpointValidator.FindAttribute(type, knownTypes.ClientEndpointAttribute) is not null;

    private static INamedTypeSymbol? EndpointBase(INamedTypeSymbol type, KnownTypes knownTypes)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (IsEndpoint(baseType, knownTypes))
            {
                return baseType;
            }
        }

        return null;
    }
}
