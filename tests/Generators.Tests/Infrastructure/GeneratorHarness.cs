using System.Collections.Immutable;
using Annotated.WebSockets.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the real runtime assembly and the shared framework this test process runs
/// on (nothing is downloaded), runs <see cref="EndpointGenerator"/>, and checks that the result compiles cleanly.
/// </summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GeneratorTestAssembly" + Guid.NewGuid().ToString("N"),
            sources.Select((source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{index}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                // The SDK suppresses these assembly-unification notices by default; so do we.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                }));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new EndpointGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over <paramref name="sources"/>; fails on any warning or error in the input or output.</summary>
    public static GeneratorResult Run(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        AssertClean(compilation.GetDiagnostics(), "the test's own sources");

        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        AssertClean(output.GetDiagnostics(), "the compilation including generated code");

        var runResult = driver.GetRunResult().Results.Single();
        Assert.Null(runResult.Exception);
        return new GeneratorResult(output, runResult);
    }

    public static void AssertClean(IEnumerable<Diagnostic> diagnostics, string what)
    {
        var problems = diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (problems.Count > 0)
        {
            Assert.Fail($"Expected no warnings or errors in {what}, found:{Environment.NewLine}"
                + string.Join(Environment.NewLine, problems.Select(FormatDiagnostic)));
        }
    }

    private static string FormatDiagnostic(Diagnostic diagnostic)
    {
        var text = diagnostic.ToString();
        var tree = diagnostic.Location.SourceTree;
        if (tree is not null)
        {
            var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
            text += $"{Environment.NewLine}    in {tree.FilePath}: {tree.GetText().Lines[line]}";
        }

        return text;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The shared frameworks (Microsoft.NETCore.App and Microsoft.AspNetCore.App) this process runs on,
        // plus the runtime assembly under test.
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var sharedRoot = Path.GetDirectoryName(Path.GetDirectoryName(frameworkDirectory))!;
        var paths = trusted
            .Where(path => path.StartsWith(sharedRoot, StringComparison.Ordinal))
            .Append(typeof(WebSocketSession).Assembly.Location)
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>The generator's output for one run.</summary>
internal sealed record GeneratorResult(Compilation Output, GeneratorRunResult RunResult)
{
    public IReadOnlyDictionary<string, string> Sources =>
        RunResult.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    public string Source(string hintName) =>
        Sources.TryGetValue(hintName, out var text)
            ? text
            : throw new Xunit.Sdk.XunitException($"No generated file '{hintName}'; generated: {string.Join(", ", Sources.Keys)}");
}
