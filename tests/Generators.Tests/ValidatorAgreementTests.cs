using System.Reflection;
using System.Runtime.CompilerServices;
using Annotated.WebSockets.Generators.Tests.Infrastructure;
using Annotated.WebSockets.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// One truth: for every endpoint the shared validator accepts (the analyzers report nothing), the generator
/// emits a dispatcher. Checked over every test endpoint, the repository's samples and integration endpoints,
/// and every primitive message type.
/// </summary>
public sealed class ValidatorAgreementTests
{
    public static TheoryData<string> EndpointSourceNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(EndpointSources).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            if (field.IsLiteral && field.Name != nameof(EndpointSources.Usings))
            {
                data.Add(field.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointSourceNames))]
    public void EveryTestEndpoint_IsValidAndGetsADispatcher(string name)
    {
        var source = (string)typeof(EndpointSources).GetField(name)!.GetRawConstantValue()!;
        var validated = AssertAgreement(GeneratorHarness.CreateCompilation(source));
        Assert.NotEmpty(validated);
        Assert.All(validated, endpoint => Assert.True(endpoint.Valid, $"{endpoint.Name} is expected to be valid."));
    }

    [Theory]
    [InlineData("samples/Echo")]
    [InlineData("samples/Chat")]
    [InlineData("samples/Client")]
    [InlineData("tests/Integration.Tests")]
    public void RepositoryEndpoints_ValidOnesGetADispatcher(string project)
    {
        var directory = Path.Combine(RepositoryRoot(), project);
        var sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(directory, path).Split(Path.DirectorySeparatorChar)[0].StartsWith("bin", StringComparison.Ordinal)
                && !Path.GetRelativePath(directory, path).Split(Path.DirectorySeparatorChar)[0].StartsWith("obj", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .ToArray();

        // Test and sample projects reference more than the harness does; their own compile errors do not matter
        // here, only that validator and generator agree on each endpoint class.
        AssertAgreement(GeneratorHarness.CreateCompilation(sources));
    }

    [Theory]
    [InlineData("sbyte")]
    [InlineData("byte")]
    [InlineData("short")]
    [InlineData("ushort")]
    [InlineData("int")]
    [InlineData("uint")]
    [InlineData("long")]
    [InlineData("ulong")]
    [InlineData("float")]
    [InlineData("double")]
    [InlineData("decimal")]
    [InlineData("bool")]
    [InlineData("char")]
    [InlineData("string")]
    public void PrimitiveMessagesAndResults_AreValidAndGenerated(string type)
    {
        var nullable = type == "string" ? "string?" : type + "?";
        var source = EndpointSources.Usings + $$"""
            namespace Samples;

            [ServerEndpoint("/plain")]
            public sealed class PlainEndpoint
            {
                [OnMessage]
                public {{type}} Echo({{type}} value) => value;
            }

            [ServerEndpoint("/nullable")]
            public sealed class NullableEndpoint
            {
                [OnMessage]
                public Task<{{nullable}}> Echo({{nullable}} value, WebSocketSession session) => Task.FromResult(value);
            }
            """;

        var validated = AssertAgreement(GeneratorHarness.CreateCompilation(source));
        Assert.Equal(2, validated.Count);
        Assert.All(validated, endpoint => Assert.True(endpoint.Valid, $"{endpoint.Name} with {type} is expected to be valid."));
        GeneratorHarness.Run(source);
    }

    [Theory]
    [InlineData("public Utf8Text Echo(Utf8Text text) => text;", true)]
    [InlineData("public Task<Utf8Text> Echo(WebSocketSession session, Utf8Text text) => Task.FromResult(text);", true)]
    [InlineData("public ValueTask<Utf8Text> Echo(string text) => new(new Utf8Text(text));", true)]
    [InlineData("public async Task Echo(Utf8Text text, WebSocketSession session) => await Task.Yield();", true)]
    [InlineData("public void Echo(Utf8Text part, bool last) { }", false)]
    [InlineData("public void Echo(bool last, Utf8Text part) { }", false)]
    [InlineData("public void Echo(Utf8Text? text) { }", false)]
    [InlineData("public Utf8Text? Echo(string text) => null;", false)]
    [InlineData("public Task<Utf8Text?> Echo(string text) => Task.FromResult<Utf8Text?>(null);", false)]
    [InlineData("public ReadOnlyMemory<byte>? Echo(byte[] data) => null;", false)]
    public void Utf8TextMessagesAndResults_ValidatorAndGeneratorAgree(string handler, bool valid)
    {
        // Utf8Text is a whole text message only, and a Utf8Text? result is no more sendable than a ReadOnlyMemory<byte>? one.
        AssertServerAndClientAgree(string.Empty, string.Empty, handler, valid);
    }

    [Theory]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder)]", "public void M(Note note) { }", true)]
    [InlineData("Decoders = [typeof(BothNoteCoder)], Encoders = [typeof(BothNoteCoder)]", "public Task<Note> M(Note note) => Task.FromResult(note);", true)]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder), typeof(StringNoteDecoder), typeof(ReaderNoteDecoder)]", "public ValueTask M(WebSocketSession session, Note note) => default;", true)]
    [InlineData("Decoders = [typeof(ReaderNoteDecoder), typeof(Utf8NoteDecoder)]", "public void M(Note note) { }", true)]
    [InlineData("Encoders = [typeof(Utf8NoteEncoder)]", "public Note M(string text) => new();", true)]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder), typeof(BinaryNoteDecoder)]", "public void M(Note note) { }", false)]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder)]", "public void M(Note note, bool last) { }", false)]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder)]", "public void M(string text) { } [OnMessage] public void N(Note note) { }", false)]
    [InlineData("Decoders = [typeof(Utf8NoteDecoder)]", "public Note M(Note note) => note;", false)]
    [InlineData("Encoders = [typeof(Utf8NoteEncoder)]", "public void M(Note note) { }", false)]
    [InlineData("Decoders = [typeof(HiddenUtf8NoteDecoder)]", "public void M(string text) { }", false)]
    [InlineData("Decoders = [typeof(Utf8NoteEncoder)]", "public void M(string text) { }", false)]
    [InlineData("Encoders = [typeof(Utf8NoteDecoder)]", "public void M(string text) { }", false)]
    public void Utf8TextCoders_ValidatorAndGeneratorAgree(string coders, string handler, bool valid)
    {
        // A UTF-8 coder is a text coder for every rule: AWE0104, AWE0105, AWE0107, AWE0114, AWE0120, AWE0300/0301, AWE0303.
        const string declarations = """
            public sealed class Note { }

            public sealed class Utf8NoteDecoder : IUtf8TextDecoder<Note>
            {
                public bool WillDecode(Utf8Text text) => true;
                public Note Decode(Utf8Text text) => new();
            }

            public sealed class StringNoteDecoder : ITextDecoder<Note>
            {
                public bool WillDecode(string text) => true;
                public Note Decode(string text) => new();
            }

            public sealed class ReaderNoteDecoder : ITextStreamDecoder<Note>
            {
                public ValueTask<Note> DecodeAsync(TextReader reader) => new(new Note());
            }

            public sealed class BinaryNoteDecoder : IBinaryDecoder<Note>
            {
                public bool WillDecode(ReadOnlyMemory<byte> data) => true;
                public Note Decode(ReadOnlyMemory<byte> data) => new();
            }

            public sealed class Utf8NoteEncoder : IUtf8TextEncoder<Note>
            {
                public Utf8Text EncodeUtf8(Note value) => Utf8Text.Empty;
            }

            public sealed class BothNoteCoder : ITextDecoder<Note>, IUtf8TextDecoder<Note>, ITextEncoder<Note>, IUtf8TextEncoder<Note>
            {
                public bool WillDecode(string text) => true;
                public Note Decode(string text) => new();
                public bool WillDecode(Utf8Text text) => true;
                public Note Decode(Utf8Text text) => new();
                public string Encode(Note value) => string.Empty;
                public Utf8Text EncodeUtf8(Note value) => Utf8Text.Empty;
            }

            public sealed class HiddenUtf8NoteDecoder : IUtf8TextDecoder<Note>
            {
                private HiddenUtf8NoteDecoder() { }
                public bool WillDecode(Utf8Text text) => true;
                public Note Decode(Utf8Text text) => new();
            }
            """;

        AssertServerAndClientAgree(declarations, coders, handler, valid);
    }

    [Fact]
    public void ClientEndpointWithoutUsableConstructor_IsGeneratedWithAFactoryThatExplains()
    {
        const string source = EndpointSources.Usings + """
            namespace Samples;

            [ClientEndpoint]
            public sealed class RequiredClient
            {
                public required string Name { get; init; }

                [OnMessage] public void Message(string text) { }
            }

            [ClientEndpoint]
            public sealed class PrivateClient
            {
                private PrivateClient() { }

                [OnMessage] public void Message(string text) { }
            }
            """;

        var validated = AssertAgreement(GeneratorHarness.CreateCompilation(source));
        Assert.All(validated, endpoint => Assert.True(endpoint.Valid, $"{endpoint.Name} is expected to be valid."));
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(source));
        var definition = assembly.Definition("Samples.PrivateClient");
        var error = Assert.Throws<InvalidOperationException>(() => definition.CreateEndpoint(new ServiceProviderStub()));
        Assert.Contains("connect an instance", error.Message, StringComparison.Ordinal);
    }

    private sealed class ServiceProviderStub : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    /// <summary>
    /// Declares <paramref name="handler"/> on a server and a client endpoint whose attributes take
    /// <paramref name="coders"/> (e.g. <c>Decoders = [...]</c>), beside <paramref name="declarations"/>: both must be
    /// <paramref name="valid"/> or not, the generator must agree, and a valid source must generate cleanly.
    /// </summary>
    private static void AssertServerAndClientAgree(string declarations, string coders, string handler, bool valid)
    {
        var source = EndpointSources.Usings + $$"""
            namespace Samples;

            {{declarations}}

            [ServerEndpoint("/test"{{(coders.Length == 0 ? string.Empty : ", " + coders)}})]
            public sealed class TestEndpoint
            {
                [OnMessage]
                {{handler}}
            }

            [ClientEndpoint({{coders}})]
            public sealed class TestClient
            {
                [OnMessage]
                {{handler}}
            }
            """;

        var validated = AssertAgreement(GeneratorHarness.CreateCompilation(source));
        Assert.Equal(2, validated.Count);
        Assert.All(validated, endpoint => Assert.True(
            endpoint.Valid == valid,
            $"{endpoint.Name} with '{coders}' and '{handler}' is expected to be {(valid ? "valid" : "invalid")}."));
        if (valid)
        {
            GeneratorHarness.Run(source);
        }
    }

    /// <summary>Validates every endpoint class of <paramref name="compilation"/> and checks the generator emits exactly the valid ones.</summary>
    private static List<(string Name, bool Valid)> AssertAgreement(CSharpCompilation compilation)
    {
        var knownTypes = KnownTypes.Create(compilation);
        var validated = new List<(string Name, bool Valid)>();
        foreach (var type in AllTypes(compilation.Assembly.GlobalNamespace))
        {
            if (type.GetAttributes().Any(a => a.AttributeClass is { } c
                && (SymbolEqualityComparer.Default.Equals(c, knownTypes.ServerEndpointAttribute)
                    || SymbolEqualityComparer.Default.Equals(c, knownTypes.ClientEndpointAttribute))))
            {
                var problems = new List<Diagnostic>();
                var valid = EndpointValidator.IsValid(type, knownTypes, problems.Add, CancellationToken.None);
                validated.Add((MetadataNameOf(type), valid));
            }
        }

        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var generated = driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, valid) in validated)
        {
            Assert.True(
                valid == generated.Contains(name + ".Endpoint.g.cs"),
                valid
                    ? $"The validator accepts {name} but the generator emitted no dispatcher for it."
                    : $"The validator rejects {name} but the generator emitted a dispatcher for it.");
        }

        return validated;
    }

    private static string MetadataNameOf(INamedTypeSymbol type)
    {
        var name = type.MetadataName;
        for (var containing = type.ContainingType; containing is not null; containing = containing.ContainingType)
        {
            name = containing.MetadataName + "+" + name;
        }

        return type.ContainingNamespace.IsGlobalNamespace ? name : type.ContainingNamespace.ToDisplayString() + "." + name;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
    {
        foreach (var member in ns.GetMembers())
        {
            if (member is INamespaceSymbol inner)
            {
                foreach (var type in AllTypes(inner))
                {
                    yield return type;
                }
            }
            else if (member is INamedTypeSymbol type)
            {
                foreach (var nested in Nested(type))
                {
                    yield return nested;
                }
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> Nested(INamedTypeSymbol type)
    {
        yield return type;
        foreach (var member in type.GetTypeMembers())
        {
            foreach (var nested in Nested(member))
            {
                yield return nested;
            }
        }
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
