using Annotated.WebSockets.Generators.Tests.Infrastructure;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// An endpoint the generator cannot handle produces no generated code at all, so the user sees the
/// analyzer's diagnostic and no compiler errors from generated files. (The harness fails on any warning or
/// error in the output compilation.)
/// </summary>
public sealed class InvalidDeclarationTests
{
    [Theory]
    [InlineData("[OnMessage] public void Message(string first, string second) { }")]
    [InlineData("[OnMessage] public void Message(string text, int count) { }")]
    [InlineData("[OnMessage] public void Message(DateTime when) { }")]
    [InlineData("[OnMessage] public void Message(Stream stream, bool last) { }")]
    [InlineData("[OnMessage] public object Message(string text) => text;")]
    [InlineData("[OnMessage] public void Message(ref string text) { }")]
    [InlineData("[OnMessage] public static void Message(string text) { }")]
    [InlineData("[OnMessage] public void Message<T>(string text) { }")]
    [InlineData("[OnMessage] private void Message(string text) { }")]
    [InlineData("[OnOpen] public void Open(int notAPathParameter) { }")]
    [InlineData("[OnOpen] public void Open([PathParam(\"room\")] DateTime room) { }")]
    [InlineData("[OnClose] public void Close(Exception error) { }")]
    [InlineData("[OnError] public void Error(WebSocketSession session) { }")]
    [InlineData("[OnError] public void Error(Exception first, Exception second) { }")]
    [InlineData("[OnOpen] public void Open() { } [OnOpen] public void OpenAgain() { }")]
    [InlineData("[OnMessage] public void Text(string text) { } [OnMessage] public void Reader(TextReader reader) { }")]
    [InlineData("[OnMessage] public void Part(Utf8Text part, bool last) { }")]
    [InlineData("[OnMessage] public void Text(string text) { } [OnMessage] public void Utf8(Utf8Text text) { }")]
    [InlineData("[OnMessage] public Utf8Text? Message(string text) => null;")]
    public void InvalidHandler_ProducesNoCode(string members)
    {
        var result = GeneratorHarness.Run(EndpointSources.Usings + $$"""
            namespace Samples;

            [ServerEndpoint("/invalid/{room}")]
            public sealed class InvalidEndpoint
            {
                {{members}}
            }
            """);

        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("[ServerEndpoint(\"/invalid\")] public abstract class InvalidEndpoint { [OnOpen] public void Open() { } }")]
    [InlineData("[ServerEndpoint(\"/invalid\")] public sealed class InvalidEndpoint<T> { [OnOpen] public void Open() { } }")]
    [InlineData("internal sealed class Hidden { [ServerEndpoint(\"/invalid\")] private sealed class InvalidEndpoint { [OnOpen] public void Open() { } } }")]
    [InlineData("[ServerEndpoint(\"/invalid\")] public sealed class InvalidEndpoint { private InvalidEndpoint() { } [OnOpen] public void Open() { } }")]
    public void InvalidClass_ProducesNoCode(string declaration)
    {
        var result = GeneratorHarness.Run(EndpointSources.Usings + "namespace Samples;\n" + declaration);

        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("[ServerEndpoint(\"/broken\", Decoders = new[] { typeof(Missing) })]", "[OnMessage] public void M(string text) { }")]
    [InlineData("[ServerEndpoint(\"/broken\")]", "[OnMessage(MaxMessageSize = \"big\")] public void M(string text) { }")]
    [InlineData("[ServerEndpoint(\"/broken\")]", "[OnMessage] public void M(Missing text) { }")]
    [InlineData("[ServerEndpoint(\"/broken\")]", "[OnMessage] public Missing M(string text) => default!;")]
    [InlineData("[ServerEndpoint]", "[OnMessage] public void M(string text) { }")]
    [InlineData("[ServerEndpoint(\"/broken\", Configurator = typeof(Missing))]", "[OnMessage] public void M(string text) { }")]
    public void CodeThatDoesNotCompile_NeitherThrowsNorGenerates(string attribute, string members)
    {
        var compilation = GeneratorHarness.CreateCompilation(EndpointSources.Usings + $$"""
            namespace Samples;

            {{attribute}}
            public sealed class BrokenEndpoint
            {
                {{members}}
            }
            """);
        Assert.Contains(compilation.GetDiagnostics(), diagnostic => diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);

        var result = GeneratorHarness.CreateDriver().RunGenerators(compilation).GetRunResult().Results.Single();

        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void InvalidEndpointNextToAValidOne_OnlyTheValidOneIsGenerated()
    {
        var result = GeneratorHarness.Run(
            EndpointSources.EchoText,
            EndpointSources.Usings + """
                namespace Samples;

                [ServerEndpoint("/invalid")]
                public sealed class InvalidEndpoint
                {
                    [OnMessage]
                    public void Message(string first, string second)
                    {
                    }
                }
                """);

        Assert.Equal(
            ["AnnotatedEndpointRegistration.g.cs", "Samples.EchoEndpoint.Description.g.cs", "Samples.EchoEndpoint.Endpoint.g.cs"],
            result.Sources.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("InvalidEndpoint", result.Source("AnnotatedEndpointRegistration.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[OnOpen] public void OpenAgain() { }")]
    [InlineData("[OnMessage] public void Reader(TextReader reader) { }")]
    [InlineData("[OnError] public void Failed(Exception error) { }")]
    public void SecondHandlerBesideAnInheritedOne_ProducesNoCode(string members)
    {
        // AWE0007: the subclass adds a handler of a kind it already inherits.
        var result = GeneratorHarness.Run(EndpointSources.Usings + $$"""
            namespace Samples;

            public abstract class EndpointBase
            {
                [OnOpen] public void Open() { }

                [OnMessage] public void Text(string text) { }

                [OnError] public void Error(Exception error) { }
            }

            [ServerEndpoint("/inherited")]
            public sealed class InheritedEndpoint : EndpointBase
            {
                {{members}}
            }
            """);

        Assert.Empty(result.Sources);
    }

    [Theory]
    [InlineData("public sealed class Coder : ITextDecoder<Order> { public Coder(int size) { } public bool WillDecode(string text) => true; public Order Decode(string text) => new(); }")]
    [InlineData("public abstract class Coder : ITextDecoder<Order> { public bool WillDecode(string text) => true; public Order Decode(string text) => new(); }")]
    [InlineData("public sealed class Coder : ITextDecoder<Order> { public required int Size { get; init; } public bool WillDecode(string text) => true; public Order Decode(string text) => new(); }")]
    [InlineData("public sealed class Coder : ITextEncoder<Order> { public string Encode(Order value) => \"\"; }")]
    public void MessageThatNoUsableCoderHandles_ProducesNoCode(string coder)
    {
        // AWE0303 for coders new() cannot create; AWE0104 for a decoded type without a decoder.
        var result = GeneratorHarness.Run(EndpointSources.Usings + $$"""
            namespace Samples;

            public sealed class Order { }

            {{coder}}

            [ServerEndpoint("/orders", Decoders = new[] { typeof(Coder) })]
            public sealed class OrderEndpoint
            {
                [OnMessage] public void Place(Order order) { }
            }
            """);

        Assert.Empty(result.Sources);
    }
}
