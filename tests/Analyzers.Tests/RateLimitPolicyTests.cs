using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0500 (empty policy name) and AWE0501 (a name no constant AddMessageRateLimitPolicy call adds).</summary>
public sealed class RateLimitPolicyTests
{
    private const string Registration = """
        public static class Startup
        {
            public const string Uploads = "uploads";

            public static void Configure(Annotated.WebSockets.Server.AnnotatedWebSocketsOptions options) => options
                .AddMessageRateLimitPolicy("chat", p => p.AddLimit(20, TimeSpan.FromSeconds(1)))
                .AddMessageRateLimitPolicy(Uploads, p => p.AddLimit(1, TimeSpan.FromSeconds(1)));
        }

        """;

    [Fact]
    public Task NamedPolicies_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat", RateLimitPolicy = "session")]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = "chat")] public string Line(string line) => line;
            [OnMessage(RateLimitPolicy = null)] public void Upload(byte[] data) { }
        }
        """);

    [Fact]
    public Task EmptyNameOnTheEndpoint_AWE0500() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat", RateLimitPolicy = {|#0:""|})]
        public sealed class Chat
        {
            [OnMessage] public string Line(string line) => line;
        }
        """,
        Verify.Diagnostic("AWE0500").WithLocation(0).WithArguments("Chat"));

    [Fact]
    public Task WhiteSpaceNameOnAHandler_AWE0500() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = {|#0:" "|})] public string Line(string line) => line;
        }
        """,
        Verify.Diagnostic("AWE0500").WithLocation(0).WithArguments("Chat.Line"));

    [Fact]
    public Task KnownNames_NoDiagnostics() => Verify.AnalyzerAsync<RateLimitPolicyAnalyzer>(Registration + """
        [ServerEndpoint("/chat", RateLimitPolicy = Startup.Uploads)]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = "chat")] public string Line(string line) => line;
        }
        """);

    [Fact]
    public Task UnknownNames_AWE0501() => Verify.AnalyzerAsync<RateLimitPolicyAnalyzer>(Registration + """
        [ServerEndpoint("/chat", RateLimitPolicy = {|#0:"sesion"|})]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = {|#1:"chta"|})] public string Line(string line) => line;
            [OnMessage(RateLimitPolicy = "uploads")] public void Upload(byte[] data) { }
        }
        """,
        Verify.Diagnostic("AWE0501").WithLocation(0).WithArguments("Chat", "sesion", "'chat', 'uploads'"),
        Verify.Diagnostic("AWE0501").WithLocation(1).WithArguments("Chat.Line", "chta", "'chat', 'uploads'"));

    [Fact]
    public Task AComputedPolicyName_MakesTheSetUnknowable_NoDiagnostics() => Verify.AnalyzerAsync<RateLimitPolicyAnalyzer>("""
        public static class Startup
        {
            public static void Configure(Annotated.WebSockets.Server.AnnotatedWebSocketsOptions options, string fromConfiguration) => options
                .AddMessageRateLimitPolicy("chat", p => p.AddLimit(20, TimeSpan.FromSeconds(1)))
                .AddMessageRateLimitPolicy(fromConfiguration, p => p.AddLimit(1, TimeSpan.FromSeconds(1)));
        }

        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = "elsewhere")] public string Line(string line) => line;
        }
        """);

    [Fact]
    public Task NoPolicyAddedInTheProject_NoDiagnostics() => Verify.AnalyzerAsync<RateLimitPolicyAnalyzer>("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(RateLimitPolicy = "added-by-a-library")] public string Line(string line) => line;
        }
        """);
}
