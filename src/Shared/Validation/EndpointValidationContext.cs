using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>
/// The state of one <see cref="EndpointValidator.IsValid"/> run: whether an error was found, and where to
/// send diagnostics. Locations are computed only when someone listens, so the generator (which passes no
/// reporter) never touches syntax.
/// </summary>
internal sealed class EndpointValidationContext
{
    private readonly Action<Diagnostic>? _report;

    public EndpointValidationContext(INamedTypeSymbol endpointType, KnownTypes knownTypes, Action<Diagnostic>? report, CancellationToken cancellationToken)
    {
        EndpointType = endpointType;
        KnownTypes = knownTypes;
        _report = report;
        CancellationToken = cancellationToken;
    }

    public INamedTypeSymbol EndpointType { get; }

    public KnownTypes KnownTypes { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>False once an error-level problem was found; warnings leave it true.</summary>
    public bool IsValid { get; private set; } = true;

    /// <summary>For problems the compiler already reports (unresolved types): invalid, but no diagnostic of ours.</summary>
    public void MarkInvalid() => IsValid = false;

    public void Report(DiagnosticDescriptor descriptor, Func<EndpointValidationContext, Location> location, params object?[] arguments)
    {
        if (descriptor.DefaultSeverity == DiagnosticSeverity.Error)
        {
            IsValid = false;
        }

        if (_report is not null)
        {
            _report(Diagnostic.Create(descriptor, location(this), arguments));
        }
    }

    /// <summary>The endpoint class identifier: the fallback for anything declared only in metadata.</summary>
    public Location ClassLocation() => SourceLocation(EndpointType) ?? Location.None;

    public Location SymbolLocation(ISymbol symbol) => SourceLocation(symbol) ?? ClassLocation();

    /// <summary>A parameter's modifiers, type and name (<c>ref int count</c>), without its attributes.</summary>
    public Location ParameterLocation(IParameterSymbol parameter)
    {
        foreach (var reference in parameter.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(CancellationToken) is ParameterSyntax { Type: { } type } syntax)
            {
                var start = syntax.Modifiers.Count > 0 ? syntax.Modifiers[0].SpanStart : type.SpanStart;
                var span = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, syntax.Identifier.Span.End);
                return Location.Create(syntax.SyntaxTree, span);
            }
        }

        return SymbolLocation(parameter);
    }

    /// <summary>The written return type of a method (<c>int</c> in <c>public int M()</c>).</summary>
    public Location ReturnTypeLocation(IMethodSymbol method)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(CancellationToken) is MethodDeclarationSyntax syntax)
            {
                return syntax.ReturnType.GetLocation();
            }
        }

        return SymbolLocation(method);
    }

    /// <summary>
    /// The expression of a named attribute argument (<paramref name="name"/>), or of the positional one at
    /// <paramref name="position"/> when <paramref name="name"/> is null; the attribute, or the owner, otherwise.
    /// </summary>
    public Location AttributeArgumentLocation(AttributeData attribute, string? name, int position, ISymbol owner)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) is not AttributeSyntax syntax)
        {
            return SymbolLocation(owner);
        }

        var argument = FindArgument(syntax, name, position);
        return argument is null ? syntax.GetLocation() : argument.Expression.GetLocation();
    }

    /// <summary>The <paramref name="index"/>-th <c>typeof(...)</c> inside a named attribute argument such as <c>Decoders = [...]</c>.</summary>
    public Location TypeOfElementLocation(AttributeData attribute, string name, int index)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(CancellationToken) is not AttributeSyntax syntax)
        {
            return ClassLocation();
        }

        var argument = FindArgument(syntax, name, position: 0);
        if (argument is null)
        {
            return syntax.GetLocation();
        }

        var i = 0;
        foreach (var node in argument.Expression.DescendantNodesAndSelf())
        {
            if (node is TypeOfExpressionSyntax typeOf)
            {
                if (i == index)
                {
                    return typeOf.GetLocation();
                }

                i++;
            }
        }

        return argument.Expression.GetLocation();
    }

    private static AttributeArgumentSyntax? FindArgument(AttributeSyntax syntax, string? name, int position)
    {
        if (syntax.ArgumentList is null)
        {
            return null;
        }

        var positional = 0;
        foreach (var argument in syntax.ArgumentList.Arguments)
        {
            if (name is not null)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return argument;
                }
            }
            else if (argument.NameEquals is null)
            {
                if (positional == position)
                {
                    return argument;
                }

                positional++;
            }
        }

        return null;
    }

    private static Location? SourceLocation(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return location;
            }
        }

        return null;
    }
}
