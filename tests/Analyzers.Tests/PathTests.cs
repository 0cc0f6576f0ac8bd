using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0200–AWE0207: [ServerEndpoint] paths and [PathParam] bindings.</summary>
public sealed class PathTests
{
    [Fact]
    public Task ValidPathsAndBindings_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/")] public sealed class Root { }
        [ServerEndpoint("/a/b/")] public sealed class TrailingSlash { }
        [ServerEndpoint("/a/b")] public sealed class Literal { }
        [ServerEndpoint("/a/{x}")] public sealed class Variable { [OnOpen] public void Open([PathParam("x")] string x) { } }
        [ServerEndpoint("/typed/{b}/{c}/{i}/{u}/{f}/{d}/{m}/{g}/{n}")]
        public sealed class Typed
        {
            [OnOpen]
            public void Open([PathParam("b")] bool b, [PathParam("c")] char c, [PathParam("i")] int i, [PathParam("u")] ulong u,
                [PathParam("f")] float f, [PathParam("d")] double d, [PathParam("m")] decimal m, [PathParam("g")] Guid g, [PathParam("n")] short? n) { }
        }
        """);

    [Fact]
    public Task EmptyPath_AWE0200() => Verify.EndpointAsync("""
        [ServerEndpoint({|#0:""|})]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0200").WithLocation(0).WithArguments("Chat"));

    [Fact]
    public Task RelativePath_AWE0201() => Verify.EndpointAsync("""
        [ServerEndpoint({|#0:"chat/{room}"|})]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0201").WithLocation(0).WithArguments("Chat", "chat/{room}"));

    [Theory]
    [InlineData("/a//b", "it contains an empty segment ('//')")]
    [InlineData("/a/../b", "it contains a '..' segment ('/../'), which is not allowed")]
    [InlineData("/a/./b", "it contains a '.' segment ('/./'), which is not allowed")]
    [InlineData("/a/{}", "it contains an empty variable '{}'; name it, such as '{room}'")]
    [InlineData("/a/{x}/{x}", "the variable '{x}' appears more than once")]
    [InlineData("/a/{x", "the braces in segment '{x' are unbalanced")]
    [InlineData("/a/x}", "the braces in segment 'x}' are unbalanced")]
    [InlineData("/a/x{y}", "the variable in segment 'x{y}' is only part of the segment; a variable must be a whole segment, such as '/{name}/'")]
    [InlineData("/a/{x}{y}", "the variable in segment '{x}{y}' is only part of the segment; a variable must be a whole segment, such as '/{name}/'")]
    [InlineData("/a b", "the character ' ' (space) is not allowed in a path")]
    [InlineData("/a?b=1", "'?' starts a query or fragment, which is not part of a path")]
    [InlineData("/{a b}", "the character ' ' (space) is not allowed in a path")]
    [InlineData("/{a*}", "the variable name 'a*' may contain only letters, digits, '_', '-' and '.'")]
    public Task MalformedPath_AWE0202(string path, string detail) => Verify.EndpointAsync($$"""
        [ServerEndpoint({|#0:"{{path}}"|})]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0202").WithLocation(0).WithArguments("Chat", path, detail));

    [Fact]
    public Task EquivalentTemplates_AWE0203OnBoth() => Verify.AnalyzerAsync<DuplicatePathAnalyzer>("""
        namespace App
        {
            [ServerEndpoint({|#0:"/rooms/{x}/chat"|})] public sealed class First { }
            [ServerEndpoint({|#1:"/rooms/{y}/chat"|})] public sealed class Second { }
        }
        """,
        Verify.Diagnostic("AWE0203").WithLocation(0).WithArguments("App.First", "/rooms/{x}/chat", "/rooms/{y}/chat", "App.Second"),
        Verify.Diagnostic("AWE0203").WithLocation(1).WithArguments("App.Second", "/rooms/{y}/chat", "/rooms/{x}/chat", "App.First"));

    [Fact]
    public Task SameLiteralPathTwice_AWE0203() => Verify.AnalyzerAsync<DuplicatePathAnalyzer>("""
        [ServerEndpoint({|#0:"/echo"|})] public sealed class First { }
        [ServerEndpoint({|#1:"/echo"|})] public sealed class Second { }
        """,
        Verify.Diagnostic("AWE0203").WithLocation(0).WithArguments("First", "/echo", "/echo", "Second"),
        Verify.Diagnostic("AWE0203").WithLocation(1).WithArguments("Second", "/echo", "/echo", "First"));

    [Fact]
    public Task DistinctTemplates_NoAWE0203() => Verify.AnalyzerAsync<DuplicatePathAnalyzer>("""
        [ServerEndpoint("/a/b")] public sealed class Literal { }
        [ServerEndpoint("/a/{x}")] public sealed class Variable { }
        [ServerEndpoint("/a/{x}/")] public sealed class TrailingSlash { }
        [ServerEndpoint("/{x}/b")] public sealed class Other { }
        [ClientEndpoint] public sealed class Client { }
        """);

    [Fact]
    public Task PathParamNotInTemplate_AWE0204() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat/{room}")]
        public sealed class Chat
        {
            [OnOpen] public void Open([PathParam({|#0:"rom"|})] string room) { }
        }

        [ServerEndpoint("/plain")]
        public sealed class Plain
        {
            [OnClose] public void Close([PathParam({|#1:"room"|})] string room) { }
        }
        """,
        Verify.Diagnostic("AWE0204").WithLocation(0).WithArguments("Chat.Open", "room", "rom", "/chat/{room}", "the variables 'room'"),
        Verify.Diagnostic("AWE0204").WithLocation(1).WithArguments("Plain.Close", "room", "room", "/plain", "no variables"));

    [Theory]
    [InlineData("DateTime")]
    [InlineData("object")]
    [InlineData("byte[]")]
    [InlineData("Uri")]
    public Task PathParamOfUnsupportedType_AWE0205(string type) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat/{room}")]
        public sealed class Chat
        {
            [OnMessage] public void Message(string text, [PathParam("room")] {|#0:{{type}} room|}) { }
        }
        """,
        Verify.Diagnostic("AWE0205").WithLocation(0).WithArguments("Chat.Message", "room", "room", type));

    [Fact]
    public Task PathParamOnClientEndpoint_AWE0206() => Verify.EndpointAsync("""
        [ClientEndpoint]
        public sealed class Client
        {
            [OnOpen] public void Open([PathParam("room")] {|#0:string room|}) { }
        }
        """,
        Verify.Diagnostic("AWE0206").WithLocation(0).WithArguments("Client.Open", "room", "Client"));

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"  \"")]
    public Task PathParamWithEmptyName_AWE0207(string name) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat/{room}")]
        public sealed class Chat
        {
            [OnOpen] public void Open([PathParam({|#0:{{name}}|})] string room) { }
        }
        """,
        Verify.Diagnostic("AWE0207").WithLocation(0).WithArguments("Chat.Open", "room"));
}
