using Annotated.WebSockets.Generators.Emitting;
using Annotated.WebSockets.Generators.Tests.Infrastructure;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Model;
using Annotated.WebSockets.SourceGeneration.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// The parser on its own, without the shared validator in front of it: it must return null for anything the
/// emitted code could not handle, and its models must emit code that compiles and runs.
/// </summary>
public sealed class EndpointParserTests
{
    [Theory]
    [InlineData("[OnMessage] public void Message(string first, byte[] second) { }")]
    [InlineData("[OnMessage] public void Message(ArraySegment<byte> data, bool last) { }")]
    [InlineData("[OnMessage] public void Message(int value, bool last) { }")]
    [InlineData("[OnMessage] public ReadOnlyMemory<byte>? Message(string text) => null;")]
    [InlineData("[OnMessage] public void Message(Utf8Text part, bool last) { }")]
    [InlineData("[OnMessage] public Utf8Text? Message(string text) => null;")]
    [InlineData("[OnMessage] public void Message(Utf8Text? text) { }")]
    [InlineData("[OnMessage] public Task<object> Message(string text) => Task.FromResult<object>(text);")]
    [InlineData("[OnOpen] public void Open(CloseReason reason) { }")]
    [InlineData("[OnOpen] public void Open([PathParam(\"x\")] object x) { }")]
    [InlineData("[OnError] public void Error() { }")]
    [InlineData("[OnClose] public void Close() { } [OnClose] public void CloseAgain() { }")]
    public void UnsupportedShapes_ParseToNull(string members)
    {
        var (type, attribute, knownTypes, _) = Load(EndpointSources.Usings + $$"""
            namespace Samples;

            [ServerEndpoint("/parse")]
            public sealed class ParsedEndpoint
            {
                {{members}}
            }
            """);

        Assert.Null(EndpointParser.Parse(type, attribute, isClientEndpoint: false, knownTypes, CancellationToken.None));
    }

    [Fact]
    public void EqualDeclarations_ParseToEqualModels()
    {
        var first = Parse(EndpointSources.PathParameters);
        var second = Parse(EndpointSources.PathParameters);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, Parse(EndpointSources.PathParameters.Replace("[PathParam(\"id\")] byte id", "[PathParam(\"id\")] short id", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task NarrowerErrorParameter_IsCalledOnlyForThatExceptionType()
    {
        // A narrower [OnError] parameter is valid (issue 5: "Exception (or a derived type)"): the handler is
        // called only for errors of that type.
        const string source = EndpointSources.Usings + """
            namespace Samples;

            [ServerEndpoint("/narrow")]
            public sealed class NarrowErrorEndpoint
            {
                public static readonly List<string> Calls = new();

                [OnError]
                public void Error(ArgumentException error, WebSocketSession session) => Calls.Add("Error:" + error.GetType().Name);
            }
            """;
        var (type, attribute, knownTypes, compilation) = Load(source);
        var model = EndpointParser.Parse(type, attribute, isClientEndpoint: false, knownTypes, CancellationToken.None);
        Assert.NotNull(model);

        var dispatcher = DispatcherEmitter.Emit(model);
        Assert.Contains("if (error is not global::System.ArgumentException exception)", dispatcher, StringComparison.Ordinal);
        Assert.Contains(
            "public override bool HandlesError(global::System.Exception error) => error is global::System.ArgumentException;",
            dispatcher,
            StringComparison.Ordinal);
        var output = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(dispatcher, GeneratorHarness.ParseOptions, "Dispatcher.g.cs"),
            CSharpSyntaxTree.ParseText(RegistrationEmitter.Emit([RegistrationModel.From(model)]), GeneratorHarness.ParseOptions, "Registration.g.cs"),
            CSharpSyntaxTree.ParseText(DescriptionEmitter.Emit(DescriptionTarget.From(model)!), GeneratorHarness.ParseOptions, "Description.g.cs"));
        GeneratorHarness.AssertClean(output.GetDiagnostics(), "the emitted code");

        var assembly = LoadedAssembly.Load(output);
        var (_, instance) = assembly.Create("Samples.NarrowErrorEndpoint");
        Assert.True(instance.HasErrorHandler);
        Assert.False(instance.HandlesError(new InvalidOperationException()));
        Assert.True(instance.HandlesError(new ArgumentNullException("x")));
        await instance.OnErrorAsync(new FakeSession(), new InvalidOperationException()).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await instance.OnErrorAsync(new FakeSession(), new ArgumentNullException("x")).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["Error:ArgumentNullException"], assembly.Calls("Samples.NarrowErrorEndpoint"));
    }

    [Fact]
    public void DecodersAndEncoders_AreRegisteredInDeclarationOrder()
    {
        // Goes through the parser and emitter directly, to see the model and the registration text.
        const string source = EndpointSources.Usings + """
            namespace Samples;

            public sealed class FirstDecoder : ITextDecoder<Uri>
            {
                public bool WillDecode(string text) => true;
                public Uri Decode(string text) => new(text);
            }

            public sealed class SecondDecoder : IBinaryDecoder<Version>
            {
                public bool WillDecode(ReadOnlyMemory<byte> data) => true;
                public Version Decode(ReadOnlyMemory<byte> data) => new(data.Length, 0);
            }

            public sealed class OnlyEncoder : ITextEncoder<Version>
            {
                public string Encode(Version value) => value.ToString();
            }

            [ServerEndpoint("/coded", Decoders = new[] { typeof(SecondDecoder), typeof(FirstDecoder) }, Encoders = new[] { typeof(OnlyEncoder) })]
            public sealed class CodedEndpoint
            {
                [OnMessage]
                public void Message(string text)
                {
                }
            }
            """;
        var (type, attribute, knownTypes, compilation) = Load(source);
        var model = EndpointParser.Parse(type, attribute, isClientEndpoint: false, knownTypes, CancellationToken.None);
        Assert.NotNull(model);
        Assert.Equal(["global::Samples.SecondDecoder", "global::Samples.FirstDecoder"], model.Decoders);
        Assert.Equal(["global::Samples.OnlyEncoder"], model.Encoders);

        var registration = RegistrationEmitter.Emit([RegistrationModel.From(model)]);
        Assert.Contains(
            "Decoders = new global::System.Type[] { typeof(global::Samples.SecondDecoder), typeof(global::Samples.FirstDecoder) },",
            registration,
            StringComparison.Ordinal);
        var output = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText(DispatcherEmitter.Emit(model), GeneratorHarness.ParseOptions, "Dispatcher.g.cs"),
            CSharpSyntaxTree.ParseText(registration, GeneratorHarness.ParseOptions, "Registration.g.cs"),
            CSharpSyntaxTree.ParseText(DescriptionEmitter.Emit(DescriptionTarget.From(model)!), GeneratorHarness.ParseOptions, "Description.g.cs"));
        var assembly = LoadedAssembly.Load(output);

        var definition = assembly.Definition("Samples.CodedEndpoint");
        Assert.Equal([assembly.GetType("Samples.SecondDecoder"), assembly.GetType("Samples.FirstDecoder")], definition.Decoders);
        Assert.Equal([assembly.GetType("Samples.OnlyEncoder")], definition.Encoders);
    }

    [Fact]
    public void Utf8CoderInterfaces_StandInForTheStringOnesOfTheSameType()
    {
        var model = Parse(EndpointSources.Usings + """
            namespace Samples;

            public class Note { }

            public sealed class Memo : Note { }

            // String and UTF-8 decoders of Note (the UTF-8 one is used, in the string one's place), a string one of Memo.
            public sealed class NoteCoder : ITextDecoder<Note>, ITextDecoder<Memo>, IUtf8TextDecoder<Note>, ITextEncoder<Note>, IUtf8TextEncoder<Note>
            {
                bool ITextDecoder<Note>.WillDecode(string text) => true;
                Note ITextDecoder<Note>.Decode(string text) => new();
                bool ITextDecoder<Memo>.WillDecode(string text) => true;
                Memo ITextDecoder<Memo>.Decode(string text) => new();
                public bool WillDecode(Utf8Text text) => true;
                public Note Decode(Utf8Text text) => new();
                public string Encode(Note value) => string.Empty;
                public Utf8Text EncodeUtf8(Note value) => Utf8Text.Empty;
            }

            [ServerEndpoint("/notes", Decoders = [typeof(NoteCoder)], Encoders = [typeof(NoteCoder)])]
            public sealed class NoteEndpoint
            {
                [OnMessage]
                public Note Message(Note note) => note;
            }
            """);

        var message = Assert.Single(model.Text!.Parameters);
        Assert.Equal(ParameterKind.DecodedText, message.Kind);
        Assert.Equal(
            [(CoderKind.Utf8Text, "global::Samples.Note"), (CoderKind.Text, "global::Samples.Memo")],
            message.Decoders.Select(static d => (d.Kind, d.ValueTypeName)));
        Assert.Equal([CoderKind.Utf8Text], model.EncoderUses.Select(static u => u.Kind));
        Assert.True(model.Text.TakesUtf8Text);
        Assert.True(RegistrationModel.From(model).TextAsUtf8);
    }

    [Fact]
    public void RateLimitPolicies_AreReadFromTheEndpointAndEachMessageHandler()
    {
        var registration = RegistrationModel.From(Parse(EndpointSources.RateLimits));

        Assert.Equal(
            ("per-session", "chat", "uploads", "pongs"),
            (registration.RateLimitPolicy, registration.TextRateLimitPolicy, registration.BinaryRateLimitPolicy, registration.PongRateLimitPolicy));
    }

    [Fact]
    public void AnEndpointWithoutRateLimits_EmitsNoRateLimitProperty()
    {
        var registration = RegistrationEmitter.Emit([RegistrationModel.From(Parse(EndpointSources.EchoText))]);

        Assert.DoesNotContain("RateLimitPolicy", registration, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireSecureConnection_IsReadAndEmittedOnlyWhenSet()
    {
        var secure = RegistrationModel.From(Parse(
            """
            using Annotated.WebSockets;

            namespace Samples;

            [ServerEndpoint("/admin", RequireSecureConnection = true)]
            public sealed class AdminEndpoint
            {
                [OnMessage]
                public string Message(string text) => text;
            }
            """));
        var plain = RegistrationModel.From(Parse(EndpointSources.EchoText));

        Assert.True(secure.RequireSecureConnection);
        Assert.Contains("RequireSecureConnection = true,", RegistrationEmitter.Emit([secure]), StringComparison.Ordinal);
        Assert.False(plain.RequireSecureConnection);
        Assert.DoesNotContain("RequireSecureConnection", RegistrationEmitter.Emit([plain]), StringComparison.Ordinal);
    }

    [Fact]
    public void CodeWriter_RejectsUnbalancedBlocks()
    {
        var writer = new CodeWriter();
        writer.OpenBlock("class C");

        Assert.Throws<InvalidOperationException>(() => writer.ToString());
        writer.CloseBlock();
        Assert.Equal("class C\n{\n}\n", writer.ToString());
        Assert.Throws<InvalidOperationException>(() => writer.CloseBlock());
    }

    private static EndpointModel Parse(string source)
    {
        var (type, attribute, knownTypes, _) = Load(source);
        return EndpointParser.Parse(type, attribute, isClientEndpoint: false, knownTypes, CancellationToken.None)
            ?? throw new Xunit.Sdk.XunitException("Expected a model.");
    }

    private static (INamedTypeSymbol Type, AttributeData Attribute, KnownTypes KnownTypes, Compilation Compilation) Load(string source)
    {
        var compilation = GeneratorHarness.CreateCompilation(source);
        GeneratorHarness.AssertClean(compilation.GetDiagnostics(), "the test source");
        var knownTypes = KnownTypes.Create(compilation);
        var type = compilation.SyntaxTrees
            .SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>()
                .Select(node => compilation.GetSemanticModel(tree).GetDeclaredSymbol(node)!))
            .Single(symbol => symbol.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, knownTypes.ServerEndpointAttribute)));
        var attribute = type.GetAttributes().Single(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, knownTypes.ServerEndpointAttribute));
        return (type, attribute, knownTypes, compilation);
    }
}
