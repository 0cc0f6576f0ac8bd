using System.Collections;
using System.Reflection;
using Annotated.WebSockets.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// The pipeline reuses its cached work for edits that cannot change the output, and only the affected
/// endpoint's steps re-run for those that can. Step names come from <see cref="TrackingNames"/>.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly IncrementalStepRunReason[] s_reused = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    [Fact]
    public void AddingAnUnrelatedFile_ReusesEverything()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            compilation.AddSyntaxTrees(Parse("namespace Other; public static class Helper { public static int Two() => 2; }", "Other.cs")));

        AssertAll(result, TrackingNames.ServerEndpointModels, s_reused);
        AssertAll(result, TrackingNames.ServerEndpoints, s_reused);
        AssertAll(result, TrackingNames.ServerDescriptions, s_reused);
        AssertAll(result, TrackingNames.Registrations, s_reused);
        AssertOutputsReused(result);
    }

    [Fact]
    public void AppendingToTheEndpointFile_ReusesEverything()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text + "\npublic static class Helper\n{\n}\n"));

        AssertAll(result, TrackingNames.ServerEndpointModels, s_reused);
        AssertAll(result, TrackingNames.ServerEndpoints, s_reused);
        AssertOutputsReused(result);
    }

    [Fact]
    public void EditingAHandlerBody_LeavesTheModelUnchanged()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text.Replace("return \"echo:\" + text;", "return \"ECHO:\" + text;", StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpointModels, [IncrementalStepRunReason.Unchanged]);
        AssertAll(result, TrackingNames.ServerEndpoints, s_reused);
        AssertAll(result, TrackingNames.ServerDescriptions, s_reused);
        AssertAll(result, TrackingNames.Registrations, s_reused);
        AssertOutputsReused(result);
    }

    [Fact]
    public void AddingASecondEndpoint_KeepsTheFirstAndAddsTheNewOne()
    {
        const string second = """
            using Annotated.WebSockets;

            namespace Samples;

            [ServerEndpoint("/second")]
            public sealed class SecondEndpoint
            {
                [OnMessage]
                public void Message(string text)
                {
                }
            }
            """;
        var result = RunTwice(EndpointSources.EchoText, compilation => compilation.AddSyntaxTrees(Parse(second, "Second.cs")));

        var reasons = Reasons(result, TrackingNames.ServerEndpoints);
        Assert.Equal(2, reasons.Count);
        Assert.Single(reasons, reason => s_reused.Contains(reason));
        Assert.Single(reasons, reason => reason == IncrementalStepRunReason.New);
        AssertAll(result, TrackingNames.Registrations, [IncrementalStepRunReason.Modified]);
    }

    [Fact]
    public void ChangingAHandlerSignature_ModifiesOnlyTheDispatcherModel()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text.Replace(
                "public string Echo(string text)",
                "public string Echo(string text, WebSocketSession session)",
                StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpointModels, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.ServerEndpoints, [IncrementalStepRunReason.Modified]);

        // The registration projection does not include handler parameters, so that file is not rewritten; nor is the
        // description, which a session parameter does not change.
        AssertAll(result, TrackingNames.ServerRegistrations, [IncrementalStepRunReason.Unchanged]);
        AssertAll(result, TrackingNames.Registrations, s_reused);
        AssertAll(result, TrackingNames.ServerDescriptions, s_reused);
    }

    [Fact]
    public void DeclaringASentMessage_ModifiesOnlyTheDescription()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text.Replace("[ServerEndpoint(\"/echo\")]", "[ServerEndpoint(\"/echo\")]\n[SendsMessage(typeof(string))]", StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpointModels, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.ServerDescriptions, [IncrementalStepRunReason.Modified]);

        // [SendsMessage] is this library's own attribute, not endpoint metadata: the registration stays.
        AssertAll(result, TrackingNames.ServerRegistrations, [IncrementalStepRunReason.Unchanged]);
        AssertAll(result, TrackingNames.Registrations, s_reused);
    }

    [Fact]
    public void ChangingAHandlersRateLimitPolicy_ModifiesTheRegistration()
    {
        var result = RunTwice(EndpointSources.RateLimits, compilation =>
            ReplaceText(compilation, text => text.Replace(
                "[OnMessage(RateLimitPolicy = \"chat\")]\n    public string Line",
                "[OnMessage(RateLimitPolicy = \"lines\")]\n    public string Line",
                StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpoints, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.ServerRegistrations, [IncrementalStepRunReason.Modified]);
    }

    [Fact]
    public void AddingAnAttributeToTheClass_ModifiesTheModelAndTheRegistration()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text.Replace("[ServerEndpoint(\"/echo\")]", "[ServerEndpoint(\"/echo\")]\n[Serializable]", StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpointModels, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.ServerRegistrations, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.Registrations, [IncrementalStepRunReason.Modified]);
    }

    [Fact]
    public void ChangingTheRoute_ModifiesTheModelAndTheRegistration()
    {
        var result = RunTwice(EndpointSources.EchoText, compilation =>
            ReplaceText(compilation, text => text.Replace("\"/echo\"", "\"/echo/v2\"", StringComparison.Ordinal)));

        AssertAll(result, TrackingNames.ServerEndpointModels, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.ServerRegistrations, [IncrementalStepRunReason.Modified]);
        AssertAll(result, TrackingNames.Registrations, [IncrementalStepRunReason.Modified]);
    }

    [Fact]
    public void NoStepOutput_ReachesASymbolSyntaxOrCompilation()
    {
        var compilation = GeneratorHarness.CreateCompilation(
            EndpointSources.PathParameters, EndpointSources.ClientEndpoint, EndpointSources.ConstructorInjection, EndpointSources.Streams);
        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        var names = typeof(TrackingNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToList();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            Assert.True(result.TrackedSteps.TryGetValue(name, out var steps), $"Step '{name}' did not run.");
            foreach (var output in steps.SelectMany(step => step.Outputs))
            {
                AssertNoCompilerObjects(output.Value, $"{name} output", new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static void AssertNoCompilerObjects(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SemanticModel or Location or Compilation or SyntaxTree,
            $"{path} holds a {value.GetType().FullName}; pipeline outputs must be plain equatable data.");

        if (!value.GetType().IsValueType && !visited.Add(value))
        {
            return;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                AssertNoCompilerObjects(item, $"{path}[{index++}]", visited);
            }
        }

        for (var type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoCompilerObjects(field.GetValue(value), $"{path}.{field.Name}", visited);
            }
        }
    }

    private static GeneratorRunResult RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var first = GeneratorHarness.CreateCompilation(source);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(first);
        var second = edit(first);
        GeneratorHarness.AssertClean(second.GetDiagnostics(), "the edited sources");
        driver = driver.RunGeneratorsAndUpdateCompilation(second, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        GeneratorHarness.AssertClean(output.GetDiagnostics(), "the edited compilation including generated code");
        return driver.GetRunResult().Results.Single();
    }

    private static Compilation ReplaceText(Compilation compilation, Func<string, string> edit)
    {
        var tree = compilation.SyntaxTrees.First();
        var text = tree.GetText().ToString();
        var edited = edit(text);
        Assert.NotEqual(text, edited);
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited)));
    }

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path);

    private static List<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string stepName)
    {
        Assert.True(result.TrackedSteps.TryGetValue(stepName, out var steps), $"Step '{stepName}' did not run.");
        return steps.SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
    }

    private static void AssertAll(GeneratorRunResult result, string stepName, IncrementalStepRunReason[] allowed)
    {
        var reasons = Reasons(result, stepName);
        Assert.NotEmpty(reasons);
        Assert.True(
            reasons.All(allowed.Contains),
            $"Step '{stepName}' reported [{string.Join(", ", reasons)}]; expected only [{string.Join(", ", allowed)}].");
    }

    private static void AssertOutputsReused(GeneratorRunResult result)
    {
        var reasons = result.TrackedOutputSteps.SelectMany(pair => pair.Value).SelectMany(step => step.Outputs).Select(output => output.Reason).ToList();
        Assert.NotEmpty(reasons);
        Assert.True(reasons.All(s_reused.Contains), $"Source outputs reported [{string.Join(", ", reasons)}]; expected them all reused.");
    }
}
