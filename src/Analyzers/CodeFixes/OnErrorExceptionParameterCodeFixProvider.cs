using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Annotated.WebSockets.CodeFixes;

/// <summary>AWE0110: adds the missing <c>Exception</c> parameter to an [OnError] method that has none.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class OnErrorExceptionParameterCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "AddOnErrorExceptionParameter";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.OnErrorMissingExceptionId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || model is null
            || KnownTypes.Create(model.Compilation).Exception is not { } exception
            || model.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol)
        {
            return;
        }

        // Only the "no Exception parameter" case has one obvious fix; with two, the user chooses which to drop.
        if (symbol.Parameters.Any(p => DerivesFrom(p.Type, exception)))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Add an Exception parameter",
                    cancellationToken => AddParameterAsync(context.Document, method, symbol, exception, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> AddParameterAsync(Document document, MethodDeclarationSyntax method, IMethodSymbol symbol, INamedTypeSymbol exception, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var name = "error";
        for (var i = 1; symbol.Parameters.Any(p => p.Name == name); i++)
        {
            name = "error" + i;
        }

        var parameter = generator.ParameterDeclaration(
            name,
            generator.TypeExpression(exception).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation));
        editor.ReplaceNode(method, generator.AddParameters(method, new[] { parameter }));
        return editor.GetChangedDocument();
    }

    private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
