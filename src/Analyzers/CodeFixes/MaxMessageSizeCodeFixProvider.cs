using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace Annotated.WebSockets.CodeFixes;

/// <summary>AWE0100: replaces a MaxMessageSize above int.MaxValue with <c>int.MaxValue</c>, the largest legal value.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class MaxMessageSizeCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "ClampMaxMessageSize";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MaxMessageSizeTooLargeId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var value = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (value is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Clamp MaxMessageSize to int.MaxValue",
                    cancellationToken => ClampAsync(context.Document, value, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> ClampAsync(Document document, SyntaxNode value, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var maxValue = generator
            .MemberAccessExpression(generator.TypeExpression(SpecialType.System_Int32), "MaxValue")
            .WithTriviaFrom(value)
            .WithAdditionalAnnotations(Simplifier.Annotation);
        editor.ReplaceNode(value, maxValue);
        return editor.GetChangedDocument();
    }
}
