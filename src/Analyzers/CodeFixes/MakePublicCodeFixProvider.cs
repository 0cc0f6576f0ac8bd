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

namespace Annotated.WebSockets.CodeFixes;

/// <summary>
/// AWE0001 and AWE0116: makes an endpoint class (and every type it is nested in) or a handler method public,
/// so the container and the generated dispatcher can reach it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp), Shared]
public sealed class MakePublicCodeFixProvider : CodeFixProvider
{
    private const string EquivalenceKey = "MakeEndpointMemberPublic";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.EndpointNotAccessibleId,
        DiagnosticDescriptors.HandlerNotAccessibleId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindToken(context.Span.Start).Parent;
        if (node is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            MemberDeclarationSyntax? target = diagnostic.Id == DiagnosticDescriptors.HandlerNotAccessibleId
                ? node.FirstAncestorOrSelf<MethodDeclarationSyntax>()
                : node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (target is null)
            {
                continue;
            }

            var title = target is MethodDeclarationSyntax ? "Make the handler public" : "Make the endpoint class public";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => MakePublicAsync(context.Document, target, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> MakePublicAsync(Document document, MemberDeclarationSyntax target, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;

        // A class must be public all the way out; a method only needs itself changed.
        for (SyntaxNode? node = target; node is MemberDeclarationSyntax member; node = target is MethodDeclarationSyntax ? null : node.Parent as TypeDeclarationSyntax)
        {
            if (generator.GetAccessibility(member) != Accessibility.Public)
            {
                editor.SetAccessibility(member, Accessibility.Public);
            }
        }

        return editor.GetChangedDocument();
    }
}
