using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0001–AWE0008: the endpoint class itself.</summary>
public sealed class EndpointClassTests
{
    [Fact]
    public Task CompleteValidEndpoint_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat/{room}", Subprotocols = ["chat.v1"])]
        public sealed class Chat
        {
            [OnOpen] public Task Open(WebSocketSession session, EndpointConfig config, [PathParam("room")] string room) => Task.CompletedTask;
            [OnMessage(MaxMessageSize = 64 * 1024)] public string Message(string text, WebSocketSession session) => text;
            [OnMessage] public void Binary(ReadOnlyMemory<byte> data, bool last) { }
            [OnMessage] public void Pong(PongMessage pong) { }
            [OnClose] public ValueTask Close(WebSocketSession session, CloseReason reason, [PathParam("room")] string room) => default;
            [OnError] public void Error(WebSocketSession session, Exception error) { }
        }
        """);

    [Fact]
    public Task InternalServerEndpoint_AWE0001() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        internal sealed class {|#0:Chat|}
        {
        }
        """,
        Verify.Diagnostic("AWE0001").WithLocation(0).WithArguments("Chat", "ServerEndpoint", "is internal", "a server endpoint class and every type containing it must be public"));

    [Fact]
    public Task ServerEndpointNestedInInternalType_AWE0001() => Verify.EndpointAsync("""
        internal static class Outer
        {
            [ServerEndpoint("/chat")]
            public sealed class {|#0:Chat|}
            {
            }
        }
        """,
        Verify.Diagnostic("AWE0001").WithLocation(0).WithArguments("Chat", "ServerEndpoint", "is nested in 'Outer', which is internal", "a server endpoint class and every type containing it must be public"));

    [Fact]
    public Task PrivateClientEndpoint_AWE0001() => Verify.EndpointAsync("""
        public static class Outer
        {
            [ClientEndpoint]
            private sealed class {|#0:Client|}
            {
            }
        }
        """,
        Verify.Diagnostic("AWE0001").WithLocation(0).WithArguments("Client", "ClientEndpoint", "is private", "a client endpoint class must be accessible from the generated dispatcher, so public or internal"));

    [Fact]
    public Task InternalClientEndpointAndPublicNestedServerEndpoint_NoDiagnostics() => Verify.EndpointAsync("""
        [ClientEndpoint]
        internal sealed class Client
        {
            [OnMessage] public void Message(string text) { }
        }

        public static class Outer
        {
            [ServerEndpoint("/nested")]
            public sealed class Nested
            {
            }
        }
        """);

    [Fact]
    public Task AbstractEndpoint_AWE0002() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public abstract class {|#0:Chat|}
        {
        }
        """,
        Verify.Diagnostic("AWE0002").WithLocation(0).WithArguments("Chat", "ServerEndpoint"));

    [Fact]
    public Task StaticEndpoint_AWE0003() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public static class {|#0:Chat|}
        {
        }
        """,
        Verify.Diagnostic("AWE0003").WithLocation(0).WithArguments("Chat", "ServerEndpoint"));

    [Fact]
    public Task GenericEndpoint_AWE0004() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class {|#0:Chat|}<T>
        {
        }
        """,
        Verify.Diagnostic("AWE0004").WithLocation(0).WithArguments("Chat", "ServerEndpoint"));

    [Fact]
    public Task NoPublicConstructor_AWE0005() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class {|#0:Chat|}
        {
            private Chat() { }
            internal Chat(int value) { }
        }
        """,
        Verify.Diagnostic("AWE0005").WithLocation(0).WithArguments("Chat", "ServerEndpoint", "has no public constructor"));

    [Fact]
    public Task RequiredMembers_AWE0005() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class {|#0:Chat|}
        {
            public required string Name { get; init; }

            [OnMessage] public void Message(string text) { }
        }

        // A client endpoint the container cannot create is connected as an instance: valid.
        [ClientEndpoint]
        public sealed class Client
        {
            public required string Name { get; init; }

            [OnMessage] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0005").WithLocation(0).WithArguments("Chat", "ServerEndpoint", "has required members, which the container cannot set"));

    [Fact]
    public Task OnlyRefParameterConstructor_AWE0005() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class {|#0:Chat|}
        {
            public Chat(ref int value) { }

            [OnMessage] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0005").WithLocation(0).WithArguments(
            "Chat",
            "ServerEndpoint",
            "has no constructor the generated code can call (its parameters are resolved from dependency injection, so they cannot be ref, out or ref struct parameters)"));

    [Fact]
    public Task ConstructorInjection_NoDiagnostics() => Verify.EndpointAsync("""
        public interface IClock { }

        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            public Chat(IClock clock) { }
        }

        [ClientEndpoint]
        public sealed class Client
        {
            private Client() { }
        }
        """);

    [Fact]
    public Task HandlerAttributeOnPlainClass_AWE0006() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        public sealed class NotAnEndpoint
        {
            [OnOpen] public void {|#0:Open|}() { }
            public void Other() { }
        }
        """,
        Verify.Diagnostic("AWE0006").WithLocation(0).WithArguments("NotAnEndpoint.Open", "OnOpen", "NotAnEndpoint", " and cannot be a base class of one"));

    [Fact]
    public Task HandlerAttributeOnSubclassOfEndpointWithoutClassAttribute_AWE0006() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        [ServerEndpoint("/base")]
        public class Base
        {
            [OnMessage] public void Message(string text) { }
        }

        public sealed class Derived : Base
        {
            [OnClose] public void {|#0:Close|}() { }
        }
        """,
        Verify.Diagnostic("AWE0006").WithLocation(0).WithArguments("Derived.Close", "OnClose", "Derived", " (it derives from the endpoint 'Base', but endpoint attributes are not inherited)"));

    [Fact]
    public Task HandlerAttributeOnStructAndStaticClass_AWE0006() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        public struct Values
        {
            [OnMessage] public void {|#0:Message|}(string text) { }
        }

        public static class Helpers
        {
            [OnError] public static void {|#1:Error|}(Exception error) { }
        }
        """,
        Verify.Diagnostic("AWE0006").WithLocation(0).WithArguments("Values.Message", "OnMessage", "Values", " and cannot be a base class of one"),
        Verify.Diagnostic("AWE0006").WithLocation(1).WithArguments("Helpers.Error", "OnError", "Helpers", " and cannot be a base class of one"));

    [Fact]
    public Task HandlerAttributeInOpenClassNoEndpointDerivesFrom_AWE0009() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        public class Handlers
        {
            [OnMessage] public void {|#0:Message|}(string text) { }
            [OnClose] public void {|#1:Close|}() { }
        }

        public sealed class NotAnEndpoint : Handlers { }
        """,
        Verify.Diagnostic("AWE0009").WithLocation(0).WithArguments("Handlers.Message", "OnMessage", "Handlers"),
        Verify.Diagnostic("AWE0009").WithLocation(1).WithArguments("Handlers.Close", "OnClose", "Handlers"));

    [Fact]
    public Task HandlerAttributeInOpenClassAnEndpointDerivesFrom_NoDiagnostics() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        public class Grandparent
        {
            [OnOpen] public void Open() { }
        }

        public class Handlers<T> : Grandparent
        {
            [OnMessage] public void Message(string text) { }
        }

        [ServerEndpoint("/chat")]
        public sealed class Chat : Handlers<int>
        {
        }
        """);

    [Fact]
    public Task HandlerAttributesOnAbstractBaseOrEndpoint_NoAWE0006() => Verify.AnalyzerAsync<HandlerOutsideEndpointAnalyzer>("""
        public abstract class EndpointBase
        {
            [OnOpen] public void Open() { }
        }

        [ServerEndpoint("/chat")]
        public sealed class Chat : EndpointBase
        {
            [OnMessage] public void Message(string text) { }
        }
        """);

    [Fact]
    public Task SecondHandlerBesideInheritedOne_AWE0007() => Verify.EndpointAsync("""
        public abstract class EndpointBase
        {
            [OnOpen] public void Open() { }
            [OnMessage] public void Text(string text) { }
        }

        [ServerEndpoint("/chat")]
        public sealed class Chat : EndpointBase
        {
            [OnOpen] public void {|#0:OpenAgain|}() { }
            [OnMessage] public void {|#1:Reader|}(TextReader reader) { }
        }
        """,
        Verify.Diagnostic("AWE0007").WithLocation(0).WithArguments("Chat.OpenAgain", "OnOpen", "EndpointBase.Open", "[OnOpen]"),
        Verify.Diagnostic("AWE0007").WithLocation(1).WithArguments("Chat.Reader", "OnMessage", "EndpointBase.Text", "text messages"));

    [Fact]
    public Task AnnotatedOverrideReplacesBaseHandler_NoDiagnostics() => Verify.EndpointAsync("""
        public abstract class EndpointBase
        {
            [OnOpen] public virtual void Open() { }
            [OnMessage] public virtual void Text(string text) { }
            [OnClose] public void Close() { }
        }

        [ServerEndpoint("/chat")]
        public sealed class Chat : EndpointBase
        {
            [OnOpen] public override void Open() { }
            public override void Text(string text) { }
            [OnMessage] public void Reader(TextReader reader) { }
        }
        """);

    [Fact]
    public Task ServerAndClientAttributes_AWE0008() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat"), ClientEndpoint]
        public sealed class {|#0:Chat|}
        {
        }
        """,
        Verify.Diagnostic("AWE0008").WithLocation(0).WithArguments("Chat"));
}
