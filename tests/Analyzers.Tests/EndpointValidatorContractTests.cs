using Annotated.WebSockets.Analyzers.Tests.Infrastructure;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>
/// The contract the generator relies on: <see cref="EndpointValidator.IsValid"/> without a reporter is true
/// exactly when the analyzer reports no error (warnings allowed), and the path equivalence used for AWE0203.
/// </summary>
public sealed class EndpointValidatorContractTests
{
    [Theory]
    [InlineData("[OnMessage] public string M(string text) => text;", true)]
    [InlineData("[OnOpen] public async void M() => await Task.Yield();", true)]
    [InlineData("[OnMessage(MaxMessageSize = 10)] public void M(Stream data) { }", true)]
    [InlineData("[OnMessage(MaxMessageSize = 3_000_000_000)] public void M(string text) { }", false)]
    [InlineData("[OnMessage] public void M(DateTime when) { }", false)]
    [InlineData("[OnError] public void M() { }", false)]
    [InlineData("[OnOpen] private void M() { }", false)]
    [InlineData("[OnMessage] public void M(UnknownType value) { }", false)]
    [InlineData("[OnOpen] public UnknownType M() => default!;", false)]
    public void IsValid_TrueExactlyWithoutErrors(string member, bool expected)
    {
        var (type, knownTypes) = Compile($$"""
            [ServerEndpoint("/chat")]
            public sealed class Chat
            {
                {{member}}
            }
            """);

        var reported = new List<Diagnostic>();
        Assert.Equal(expected, EndpointValidator.IsValid(type, knownTypes, null, CancellationToken.None));
        Assert.Equal(expected, EndpointValidator.IsValid(type, knownTypes, reported.Add, CancellationToken.None));
        var reportedError = reported.Any(d => d.Severity == DiagnosticSeverity.Error);
        if (member.Contains("UnknownType", StringComparison.Ordinal))
        {
            // Invalid, but the compiler already reports the unresolved type: no diagnostic of ours on top.
            Assert.False(reportedError);
        }
        else
        {
            Assert.Equal(!expected, reportedError);
        }
    }

    [Fact]
    public void IsValid_FalseForAClassThatIsNotAnEndpoint()
    {
        var (type, knownTypes) = Compile("public sealed class Chat { }");
        Assert.False(EndpointValidator.IsValid(type, knownTypes, null, CancellationToken.None));
    }

    [Fact]
    public void IsValid_ObservesCancellation()
    {
        var (type, knownTypes) = Compile("""[ServerEndpoint("/chat")] public sealed class Chat { [OnMessage] public void M(string t) { } }""");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => EndpointValidator.IsValid(type, knownTypes, null, cancelled.Token));
    }

    [Theory]
    [InlineData("/a/{x}", "/a/{y}", true)]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/", "/", true)]
    [InlineData("/a/b", "/a/{x}", false)]
    [InlineData("/a/{x}", "/a/{x}/", false)]
    [InlineData("/a/{x}/b", "/a/{y}/c", false)]
    [InlineData("/{x}", "/", false)]
    public void EquivalentPaths_ShareTheKey(string first, string second, bool equivalent)
    {
        Assert.Equal(PathTemplateProblem.None, EndpointPathTemplate.TryParse(first, out var a, out _));
        Assert.Equal(PathTemplateProblem.None, EndpointPathTemplate.TryParse(second, out var b, out _));
        Assert.Equal(equivalent, a!.EquivalenceKey == b!.EquivalenceKey);
    }

    [Fact]
    public void TemplateVariables_InOrder()
    {
        Assert.Equal(PathTemplateProblem.None, EndpointPathTemplate.TryParse("/chat/{room}/users/{user.id}", out var template, out _));
        Assert.Equal(["room", "user.id"], template!.Variables);
    }

    private static (INamedTypeSymbol Type, KnownTypes KnownTypes) Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(Verify.Usings + source);
        var compilation = CSharpCompilation.Create(
            "Contract",
            [tree],
            TestReferences.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var type = compilation.GetTypeByMetadataName("Chat") ?? throw new InvalidOperationException("no Chat");
        return (type, KnownTypes.Create(compilation));
    }
}
