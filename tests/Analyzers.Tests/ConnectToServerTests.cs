using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0010: the type argument of WebSocketContainer.ConnectToServerAsync&lt;T&gt;.</summary>
public sealed class ConnectToServerTests
{
    private const string Connect = """
        public static class Connector
        {
            public static Task Run(Annotated.WebSockets.Client.WebSocketContainer container, Uri uri) =>
                container.ConnectToServerAsync<{|#0:TARGET|}>(uri);
        }

        """;

    [Fact]
    public Task ClientEndpointWithParameterlessConstructor_NoDiagnostic() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>(
        Connect.Replace("{|#0:TARGET|}", "Ticker") + """
        [ClientEndpoint]
        public sealed class Ticker
        {
            [OnMessage] public void Tick(string text) { }
        }
        """);

    [Fact]
    public Task ClientEndpointWithInjectedConstructor_NoDiagnostic() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>(
        Connect.Replace("{|#0:TARGET|}", "Ticker") + """
        [ClientEndpoint]
        public sealed class Ticker(IServiceProvider services)
        {
            [OnMessage] public void Tick(string text) { }
        }
        """);

    [Fact]
    public Task ConnectingAnInstance_NoDiagnostic() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>("""
        public static class Connector
        {
            public static Task Run(Annotated.WebSockets.Client.WebSocketContainer container, Uri uri) =>
                container.ConnectToServerAsync(Ticker.Create(), uri);
        }

        [ClientEndpoint]
        public sealed class Ticker
        {
            private Ticker() { }
            public static Ticker Create() => new();
            [OnMessage] public void Tick(string text) { }
        }
        """);

    [Fact]
    public Task ClientEndpointWithoutReachableConstructor_AWE0010() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>(
        Connect.Replace("TARGET", "Ticker") + """
        [ClientEndpoint]
        public sealed class Ticker
        {
            private Ticker() { }
            [OnMessage] public void Tick(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0010").WithLocation(0).WithArguments(
            "Ticker",
            "has no constructor the generated code can call (its parameters are resolved from dependency injection, so they cannot be ref, out or ref struct parameters)"));

    [Fact]
    public Task ClientEndpointWithRequiredMembers_AWE0010() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>(
        Connect.Replace("TARGET", "Ticker") + """
        [ClientEndpoint]
        public sealed class Ticker
        {
            public required string Name { get; init; }
            [OnMessage] public void Tick(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0010").WithLocation(0).WithArguments("Ticker", "has required members, which the container cannot set"));

    [Fact]
    public Task ClassWithoutClientEndpointAttribute_AWE0010() => Verify.AnalyzerAsync<ConnectToServerAnalyzer>(
        Connect.Replace("TARGET", "Plain") + """
        public sealed class Plain
        {
        }
        """,
        Verify.Diagnostic("AWE0010").WithLocation(0).WithArguments("Plain", "is not a [ClientEndpoint] class, so there is no generated factory for it"));
}
