using System.Text.RegularExpressions;
using NetArchTest.Rules;

namespace Annotated.WebSockets.Runtime.Tests.Architecture;

/// <summary>
/// The layer rules of DESIGN.md, enforced twice: on the compiled runtime (every type reference in its IL, so a fully
/// qualified name cannot slip through) and on its sources (a forbidden <c>using</c> fails even before it is used).
/// </summary>
/// <remarks>
/// Folders are the layers: Protocol, then Coders, then Sessions, then the containers Server and Client. Dispatch is
/// the contract generated code implements, used by Sessions and the containers. Diagnostics may be used by every layer
/// and uses none. Endpoints is the public API (attributes, close reasons, exceptions).
/// </remarks>
public class LayeringTests
{
    private const string Root = "Annotated.WebSockets";

    // What each folder may import from the runtime's own namespaces (besides the public root namespace).
    private static readonly Dictionary<string, string[]> s_allowedLayers = new(StringComparer.Ordinal)
    {
        ["Protocol"] = ["Diagnostics"],
        ["Coders"] = ["Diagnostics"],
        ["Endpoints"] = ["Diagnostics"],
        ["Diagnostics"] = [],
        ["Dispatch"] = ["Diagnostics"],
        ["Description"] = ["Diagnostics", "Dispatch"],
        ["Sessions"] = ["Diagnostics", "Dispatch", "Protocol"],
        ["Rooms"] = ["Diagnostics", "Dispatch", "Protocol", "Sessions"],
        ["Server"] = ["Diagnostics", "Dispatch", "Protocol", "Sessions", "Server", "Description"],
        ["Client"] = ["Diagnostics", "Dispatch", "Protocol", "Sessions", "Client"],
    };

    // Only the server is a host: every other layer runs the same under a test, a client or another server.
    private static readonly string[] s_hostNamespaces = ["Microsoft.AspNetCore"];

    public static TheoryData<string, string[]> CompiledRules => new()
    {
        { "Protocol", [Layer("Sessions"), Layer("Server"), Layer("Client"), Layer("Dispatch"), .. s_hostNamespaces] },
        { "Dispatch", [Layer("Sessions"), Layer("Server"), Layer("Client"), Layer("Description"), .. s_hostNamespaces] },
        { "Description", [Layer("Sessions"), Layer("Server"), Layer("Client"), Layer("Protocol"), .. s_hostNamespaces] },
        { "Sessions", [Layer("Server"), Layer("Client"), .. s_hostNamespaces] },
        { "Client", [Layer("Server"), .. s_hostNamespaces] },
        { "Server", [Layer("Client")] },
        // Diagnostics is checked on its sources only: NetArchTest counts its category strings ("Annotated.WebSockets.Server")
        // as references to those namespaces.
    };

    [Theory]
    [MemberData(nameof(CompiledRules))]
    public void A_layer_of_the_compiled_runtime_references_no_type_of_a_forbidden_one(string layer, string[] forbidden)
    {
        var result = Types.InAssembly(typeof(WebSocketSession).Assembly)
            .That().ResideInNamespace(Layer(layer))
            .ShouldNot().HaveDependencyOnAny(forbidden)
            .GetResult();

        Assert.True(
            result.IsSuccessful,
            $"{Layer(layer)} must not use {string.Join(", ", forbidden)}; these types do: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_public_api_namespace_is_host_agnostic()
    {
        // The types every endpoint sees (sessions, remotes, coders, attributes, configs) run under any host.
        var result = Types.InAssembly(typeof(WebSocketSession).Assembly)
            .That().ResideInNamespaceMatching(@"^Annotated\.WebSockets$")
            .ShouldNot().HaveDependencyOnAny([.. s_hostNamespaces, Layer("Server"), Layer("Client")])
            .GetResult();

        Assert.True(result.IsSuccessful, $"public API types that depend on a host: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Every_folder_of_the_runtime_is_a_known_layer()
    {
        var folders = Directory.GetDirectories(RuntimeSourceRoot())
            .Select(Path.GetFileName)
            .Where(static name => name is not ("bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(s_allowedLayers.Keys.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void No_source_file_imports_a_layer_it_may_not_use()
    {
        var violations = new List<string>();
        var root = RuntimeSourceRoot();
        foreach (var (folder, allowed) in s_allowedLayers)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                var text = WithoutComments(File.ReadAllText(file));
                foreach (var used in LayersNamedIn(text))
                {
                    if (used != folder && !allowed.Contains(used))
                    {
                        violations.Add($"{folder}/{Path.GetFileName(file)} uses {Layer(used)}");
                    }
                }

                if (folder is not "Server" && s_hostNamespaces.Any(host => Regex.IsMatch(text, $@"\busing\s+{Regex.Escape(host)}\b|\b{Regex.Escape(host)}\.")))
                {
                    violations.Add($"{folder}/{Path.GetFileName(file)} uses ASP.NET Core, which only the server may");
                }
            }
        }

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_source_scan_sees_usings_and_qualified_names()
    {
        // The scan itself: a guard that it would catch what it is meant to catch.
        Assert.Equal(["Server"], LayersNamedIn("using Annotated.WebSockets.Server;\nclass C { }"));
        Assert.Equal(["Client"], LayersNamedIn("class C { Annotated.WebSockets.Client.WebSocketContainer? c; }"));
        Assert.Empty(LayersNamedIn("class C { Annotated.WebSockets.ServerEndpointAttribute? a; }"));
        Assert.Empty(LayersNamedIn(WithoutComments("/// <c>Annotated.WebSockets.Client.HandshakeResponse</c>\nclass C { } // Annotated.WebSockets.Server.X")));
        Assert.Contains(s_hostNamespaces, host => Regex.IsMatch("using Microsoft.AspNetCore.Http;", $@"\busing\s+{Regex.Escape(host)}\b"));
    }

    private static string Layer(string name) => $"{Root}.{name}";

    // Doc comments may name any type (a cref to the client from the server's docs is no dependency).
    private static string WithoutComments(string text) =>
        Regex.Replace(text, @"/\*.*?\*/|//[^\n]*", string.Empty, RegexOptions.Singleline);

    // The runtime layers a source text names: in using directives and in qualified names alike.
    private static string[] LayersNamedIn(string text) =>
        Regex.Matches(text, @"\bAnnotated\.WebSockets\.(\w+)(?=[\s;.])")
            .Select(static match => match.Groups[1].Value)
            .Where(s_allowedLayers.ContainsKey)
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static string RuntimeSourceRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Annotated.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Runtime");
            }
        }

        throw new InvalidOperationException("The repository root (Annotated.sln) was not found above " + AppContext.BaseDirectory);
    }
}
