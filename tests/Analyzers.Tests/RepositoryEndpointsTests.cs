using System.Collections.Immutable;
using Annotated.WebSockets.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>
/// The endpoints the rest of the repository declares (samples, integration and interop tests, and the
/// generator tests' shared inputs) are valid: the analyzers report nothing on them but AWE0401, information. The files are found at
/// run time, so endpoints added later are covered too.
/// </summary>
public sealed class RepositoryEndpointsTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        global using Xunit;
        """;

    public static TheoryData<string> EndpointProjects()
    {
        var data = new TheoryData<string>();
        foreach (var group in new[] { "samples", "tests" })
        {
            var groupDirectory = Path.Combine(RepositoryLayout.Root, group);
            if (!Directory.Exists(groupDirectory))
            {
                continue;
            }

            foreach (var project in Directory.EnumerateDirectories(groupDirectory).OrderBy(d => d, StringComparer.Ordinal))
            {
                var name = Path.GetFileName(project);
                if (name is "Analyzers.Tests" or "Generators.Tests")
                {
                    continue;
                }

                if (RepositoryLayout.SourceFiles(project).Any(DeclaresEndpoint))
                {
                    data.Add(Path.Combine(group, name));
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointProjects))]
    public async Task ProjectEndpoints_HaveNoDiagnostics(string project)
    {
        var directory = Path.Combine(RepositoryLayout.Root, project);
        var trees = RepositoryLayout.SourceFiles(directory)
            .Where(path => !IsDeliberatelyInvalid(directory, path))
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.g.cs"));
        var diagnostics = await AnalyzeAsync(trees);
        Assert.True(diagnostics.IsEmpty, Describe(project, diagnostics));
    }

    // Folders named Invalid* (tests/Package.Tests/Consumers/InvalidConsumer) hold endpoints that are wrong on
    // purpose, to see the diagnostics fail a build.
    private static bool IsDeliberatelyInvalid(string projectDirectory, string path) =>
        Path.GetRelativePath(projectDirectory, path).Split(Path.DirectorySeparatorChar)
            .Any(segment => segment.StartsWith("Invalid", StringComparison.Ordinal));

    [Fact]
    public async Task GeneratorTestEndpointSources_HaveNoDiagnostics()
    {
        var path = Path.Combine(RepositoryLayout.Root, "tests", "Generators.Tests", "EndpointSources.cs");
        Assert.True(File.Exists(path), $"expected the generator tests' shared endpoint sources at {path}");

        var sources = ConstantSources(path);
        Assert.NotEmpty(sources);
        foreach (var (name, source) in sources)
        {
            var diagnostics = await AnalyzeAsync([CSharpSyntaxTree.ParseText(source, ParseOptions, name + ".cs")]);
            Assert.True(diagnostics.IsEmpty, Describe("EndpointSources." + name, diagnostics));
        }
    }

    [Fact]
    public void SamplesDeclareEndpoints()
    {
        // Guards the discovery itself: if the walk finds nothing, the theory above would silently test nothing.
        var projects = ((IEnumerable<object[]>)EndpointProjects()).Select(row => (string)row[0]).ToList();
        Assert.Contains(projects, project => project.StartsWith("samples", StringComparison.Ordinal));
    }

    private static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Preview);

    private static bool DeclaresEndpoint(string path)
    {
        var text = File.ReadAllText(path);
        return text.Contains("[ServerEndpoint", StringComparison.Ordinal) || text.Contains("[ClientEndpoint", StringComparison.Ordinal);
    }

    /// <summary>The value of every string constant that declares an endpoint, as the compiler folds it.</summary>
    private static List<(string Name, string Source)> ConstantSources(string path)
    {
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path);
        var compilation = CSharpCompilation.Create("EndpointSources", [tree], TestReferences.Framework, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var model = compilation.GetSemanticModel(tree);
        var result = new List<(string, string)>();
        foreach (var variable in tree.GetRoot().DescendantNodes().OfType<VariableDeclaratorSyntax>())
        {
            if (variable.Initializer is { } initializer
                && model.GetConstantValue(initializer.Value) is { HasValue: true, Value: string source }
                && (source.Contains("[ServerEndpoint", StringComparison.Ordinal) || source.Contains("[ClientEndpoint", StringComparison.Ordinal)))
            {
                result.Add((variable.Identifier.ValueText, source));
            }
        }

        return result;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(IEnumerable<SyntaxTree> trees)
    {
        var references = TestReferences.All
            .Add(MetadataReference.CreateFromFile(typeof(FactAttribute).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(Assert).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "RepositoryEndpoints",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var analyzers = AllAnalyzers.Create();
        var diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        // AWE0401 is information, not a fault: test endpoints with hand-written (non-JSON) coders are described as
        // unspecified on purpose.
        return diagnostics
            .Where(d => d.Id.StartsWith("AWE", StringComparison.Ordinal) && d.Id != "AWE0401")
            .ToImmutableArray();
    }

    private static string Describe(string where, ImmutableArray<Diagnostic> diagnostics) =>
        $"{where}: expected no diagnostics, got:{Environment.NewLine}" + string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
