using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Annotated.WebSockets.CodeFixes;

/// <summary>AWE0115: turns an <c>async void</c> handler into <c>async Task</c>, so the container can await it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class AsyncVoidCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "AsyncVoidToTask";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AsyncVoidHandlerId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindToken(context.Span.Start).Parent?.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } method
            || model is null
            || KnownTypes.Create(model.Compilation).Task is not { } task)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Return Task instead of void",
                    cancellationToken => ReturnTaskAsync(context.Document, method, task, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ReturnTaskAsync(Document document, MethodDeclarationSyntax method, INamedTypeSymbol task, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var returnType = editor.Generator.TypeExpression(task)
            .WithTriviaFrom(method.ReturnType)
            .WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(method.ReturnType, returnType);
        return editor.GetChangedDocument();
    }
}
