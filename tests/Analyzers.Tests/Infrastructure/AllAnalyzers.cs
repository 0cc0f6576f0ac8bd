using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers.Tests.Infrastructure;

/// <summary>Every analyzer the analyzer assembly ships, found by type so that a new one is never left out.</summary>
internal static class AllAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> Create() =>
    [
        .. typeof(EndpointAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];
}
