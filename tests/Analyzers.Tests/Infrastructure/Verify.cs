using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Annotated.WebSockets.Analyzers.Tests.Infrastructure;

/// <summary>Runs an analyzer (and optionally a code fix) over test sources with the offline references.</summary>
internal static class Verify
{
    /// <summary>The usings every test source starts with, so tests show only the endpoint.</summary>
    public const string Usings = """
        #nullable enable
        using System;
        using System.IO;
        using System.Threading.Tasks;
        using Annotated.WebSockets;


        """;

    public static DiagnosticResult Diagnostic(string id) => new(id, SeverityOf(id));

    public static Task AnalyzerAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new() =>
        AnalyzerAsync<TAnalyzer>(source, TestReferences.All, expected);

    /// <summary>Runs <typeparamref name="TAnalyzer"/> with the given references (the framework alone, say).</summary>
    public static async Task AnalyzerAsync<TAnalyzer>(string source, IEnumerable<MetadataReference> references, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = Usings + source,
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(references);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    public static Task EndpointAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerAsync<EndpointAnalyzer>(source, expected);

    public static async Task CodeFixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        if (source == fixedSource)
        {
            // No fix is offered: the diagnostics stay.
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
        }

        await test.RunAsync();
    }

    private static DiagnosticSeverity SeverityOf(string id)
    {
        foreach (var analyzer in AllAnalyzers.Create())
        {
            foreach (var descriptor in analyzer.SupportedDiagnostics)
            {
                if (descriptor.Id == id)
                {
                    return descriptor.DefaultSeverity;
                }
            }
        }

        throw new ArgumentException($"No analyzer supports {id}.", nameof(id));
    }
}
