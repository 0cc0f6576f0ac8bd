using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers;

/// <summary>
/// Reports server endpoints of one compilation whose paths match the same requests (<c>/a/{x}</c> and
/// <c>/a/{y}</c>). Each endpoint's path is collected as its symbol is analyzed; the comparison runs once,
/// at the end of the compilation, and reports on every endpoint of a clash, naming another one.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicatePathAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.DuplicatePath);

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

            var endpoints = new ConcurrentBag<PathEntry>();
            start.RegisterSymbolAction(
                symbolContext =>
                {
                    var type = (INamedTypeSymbol)symbolContext.Symbol;
                    if (type.TypeKind != TypeKind.Class)
                    {
                        return;
                    }

                    var template = EndpointValidator.TryGetPathTemplate(type, knownTypes, out var attribute);
                    if (template is null || attribute is null)
                    {
                        return;
                    }

                    var location = attribute.ApplicationSyntaxReference?.GetSyntax(symbolContext.CancellationToken) is AttributeSyntax { ArgumentList.Arguments: [var first, ..] }
                        ? first.Expression.GetLocation()
                        : type.Locations.FirstOrDefault() ?? Location.None;
                    endpoints.Add(new PathEntry(template.EquivalenceKey, template.Path, type.ToDisplayString(), location));
                },
                SymbolKind.NamedType);

            start.RegisterCompilationEndAction(endContext =>
            {
                foreach (var group in endpoints.GroupBy(static e => e.Key, System.StringComparer.Ordinal))
                {
                    var clashing = group
                        .OrderBy(static e => e.Location.SourceTree?.FilePath, System.StringComparer.Ordinal)
                        .ThenBy(static e => e.Location.SourceSpan.Start)
                        .ThenBy(static e => e.TypeName, System.StringComparer.Ordinal)
                        .ToList();
                    if (clashing.Count < 2)
                    {
                        continue;
                    }

                    for (var i = 0; i < clashing.Count; i++)
                    {
                        var entry = clashing[i];
                        var other = clashing[i == 0 ? 1 : 0];
                        endContext.ReportDiagnostic(Diagnostic.Create(
                            DiagnosticDescriptors.DuplicatePath,
                            entry.Location,
                            entry.TypeName,
                            entry.Path,
                            other.Path,
                            other.TypeName));
                    }
                }
            });
        });
    }

    /// <summary>One server endpoint's path, reduced to what the end-of-compilation comparison needs.</summary>
    private sealed class PathEntry
    {
        public PathEntry(string key, string path, string typeName, Location location)
        {
            Key = key;
            Path = path;
            TypeName = typeName;
            Location = location;
        }

        public string Key { get; }

        public string Path { get; }

        public string TypeName { get; }

        public Location Location { get; }
    }
}
