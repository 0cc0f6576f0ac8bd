using System.Collections.Immutable;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Warns about [OnOpen]/[OnMessage]/[OnClose]/[OnError] methods in a class that is not an endpoint, where
/// nothing ever calls them. Abstract classes are left alone: they are the base classes whose annotated
/// methods an endpoint inherits.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HandlerOutsideEndpointAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.HandlerOutsideEndpoint);

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

            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, knownTypes), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownTypes knownTypes)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
            || (type.IsAbstract && !type.IsStatic)
            || EndpointValidator.FindAttribute(type, knownTypes.ServerEndpointAttribute) is not null
            || EndpointValidator.FindAttribute(type, knownTypes.ClientEndpointAttribute) is not null)
        {
            return;
        }

        foreach (var member in type.GetMembers())
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (member is not IMethodSymbol method)
            {
                continue;
            }

            foreach (var attribute in method.GetAttributes())
            {
                var kind = EndpointValidator.KindOf(attribute.AttributeClass, knownTypes);
                if (kind is null || method.Locations.IsEmpty)
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.HandlerOutsideEndpoint,
                    method.Locations[0],
                    type.Name + "." + method.Name,
                    EndpointValidator.AttributeName(kind.Value),
                    type.Name));
                break;
            }
        }
    }
}
