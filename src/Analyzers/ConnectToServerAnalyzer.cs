using System.Collections.Immutable;
using System.Linq;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Checks the type argument of <c>WebSocketContainer.ConnectToServerAsync&lt;T&gt;</c> calls (AWE0010): the
/// container creates T through its generated factory, so T must be a [ClientEndpoint] class whose constructor
/// the generated code can call. Connecting an instance has no such requirement, so that form is not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConnectToServerAnalyzer : DiagnosticAnalyzer
{
    private const string MethodName = "ConnectToServerAsync";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.ConnectedTypeNotCreatable);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            var knownTypes = KnownTypes.Create(start.Compilation);
            if (knownTypes.WebSocketContainer is not { } container || knownTypes.ClientEndpointAttribute is not { } clientAttribute)
            {
                return;
            }

            start.RegisterOperationAction(
                operationContext => Analyze(operationContext, container, clientAttribute),
                OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol container, INamedTypeSymbol clientAttribute)
    {
        var method = ((IInvocationOperation)context.Operation).TargetMethod;
        if (method.Name != MethodName
            || method.TypeArguments.Length != 1
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, container)
            || method.TypeArguments[0] is not INamedTypeSymbol type)
        {
            return;   // another method, or T is a type parameter checked where it is bound
        }

        string? problem = !type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, clientAttribute))
            ? "is not a [ClientEndpoint] class, so there is no generated factory for it"
            : EndpointParser.ConstructorProblem(type, context.Compilation.Assembly);
        if (problem is null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.ConnectedTypeNotCreatable,
            TypeArgumentLocation(context.Operation.Syntax) ?? context.Operation.Syntax.GetLocation(),
            type.Name,
            problem));
    }

    /// The T in <c>container.ConnectToServerAsync&lt;T&gt;(…)</c>: where the fix goes.
    private static Location? TypeArgumentLocation(SyntaxNode invocation) =>
        invocation is InvocationExpressionSyntax { Expression: var expression }
        && (expression as GenericNameSyntax ?? (expression as MemberAccessExpressionSyntax)?.Name as GenericNameSyntax) is { } generic
        && generic.TypeArgumentList.Arguments.Count == 1
            ? generic.TypeArgumentList.Arguments[0].GetLocation()
            : null;
}
