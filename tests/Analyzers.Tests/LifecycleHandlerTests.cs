using Annotated.WebSockets.Analyzers.Tests.Infrastructure;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Validation;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0106, AWE0108–AWE0113, AWE0115–AWE0119: lifecycle methods and rules every handler shares.</summary>
public sealed class LifecycleHandlerTests
{
    [Fact]
    public Task LifecycleMethodsWithAllowedParametersInAnyOrder_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat/{room}/{id}")]
        public sealed class Chat
        {
            [OnOpen] public void Open([PathParam("id")] int id, EndpointConfig config, WebSocketSession session) { }
            [OnClose] public async Task Close(CloseReason reason, [PathParam("room")] string room) { await Task.Yield(); }
            [OnError] internal ValueTask Error(Exception error, WebSocketSession session, [PathParam("id")] long? id) => default;
        }
        """);

    [Fact]
    public Task UnexpectedParameterOnOpen_AWE0106() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public void Open(WebSocketSession session, {|#0:string room|}) { }
        }
        """,
        Verify.Diagnostic("AWE0106").WithLocation(0).WithArguments("Chat.Open", "OnOpen", "room", "string", EndpointValidator.AllowedParameters(HandlerKind.OnOpen)));

    [Fact]
    public Task ExceptionParameterOnClose_AWE0106() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnClose] public void Close(WebSocketSession session, {|#0:Exception error|}) { }
        }
        """,
        Verify.Diagnostic("AWE0106").WithLocation(0).WithArguments("Chat.Close", "OnClose", "error", "Exception", EndpointValidator.AllowedParameters(HandlerKind.OnClose)));

    [Theory]
    [InlineData("OnOpen", "")]
    [InlineData("OnClose", "CloseReason reason")]
    [InlineData("OnError", "Exception error")]
    public Task SecondLifecycleMethod_AWE0108(string attribute, string parameters) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [{{attribute}}] public void First({{parameters}}) { }
            [{{attribute}}] public void {|#0:Second|}({{parameters}}) { }
        }
        """,
        Verify.Diagnostic("AWE0108").WithLocation(0).WithArguments("Chat.Second", attribute, "Chat.First"));

    [Fact]
    public Task OnErrorWithoutException_AWE0110() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}(WebSocketSession session) { }
        }
        """,
        Verify.Diagnostic("AWE0110").WithLocation(0).WithArguments("Chat.Error"));

    [Fact]
    public Task OnErrorWithTwoExceptions_AWE0109() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}(Exception first, Exception second) { }
        }
        """,
        Verify.Diagnostic("AWE0109").WithLocation(0).WithArguments("Chat.Error", 2));

    [Fact]
    public Task OnErrorWithDerivedException_NoDiagnostic() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            // Called only for errors of that type (issue 5: "Exception (or a derived type) in OnError").
            [OnError] public void Error(InvalidOperationException error, WebSocketSession session) { }
        }
        """);

    [Fact]
    public Task OnErrorWithExceptionAndDerivedException_AWE0109() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}(Exception error, InvalidOperationException other) { }
        }
        """,
        Verify.Diagnostic("AWE0109").WithLocation(0).WithArguments("Chat.Error", 2));

    [Fact]
    public Task EndpointConfigOutsideOnOpen_AWE0111() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnClose] public void Close({|#0:EndpointConfig config|}) { }
            [OnMessage] public void Message(string text, {|#1:EndpointConfig config|}) { }
        }
        """,
        Verify.Diagnostic("AWE0111").WithLocation(0).WithArguments("Chat.Close", "OnClose", "config"),
        Verify.Diagnostic("AWE0111").WithLocation(1).WithArguments("Chat.Message", "OnMessage", "config"));

    [Fact]
    public Task CloseReasonOutsideOnClose_AWE0112() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public void Open({|#0:CloseReason reason|}) { }
            [OnError] public void Error(Exception error, {|#1:CloseReason reason|}) { }
        }
        """,
        Verify.Diagnostic("AWE0112").WithLocation(0).WithArguments("Chat.Open", "OnOpen", "reason"),
        Verify.Diagnostic("AWE0112").WithLocation(1).WithArguments("Chat.Error", "OnError", "reason"));

    [Fact]
    public Task LifecycleMethodReturningValue_AWE0113() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public {|#0:int|} Open() => 0;
            [OnClose] public {|#1:Task<bool>|} Close() => Task.FromResult(true);
        }
        """,
        Verify.Diagnostic("AWE0113").WithLocation(0).WithArguments("Chat.Open", "OnOpen", "int"),
        Verify.Diagnostic("AWE0113").WithLocation(1).WithArguments("Chat.Close", "OnClose", "Task<bool>"));

    [Fact]
    public Task AsyncVoidHandler_AWE0115() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public async void {|#0:Open|}() => await Task.Yield();
            [OnMessage] public async Task Message(string text) => await Task.Yield();
        }
        """,
        Verify.Diagnostic("AWE0115").WithLocation(0).WithArguments("Chat.Open", "OnOpen"));

    [Theory]
    [InlineData("private", "private")]
    [InlineData("protected", "protected")]
    [InlineData("private protected", "private protected")]
    public Task InaccessibleHandler_AWE0116(string modifier, string word) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat")]
        public class Chat
        {
            [OnMessage] {{modifier}} void {|#0:Message|}(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0116").WithLocation(0).WithArguments("Chat.Message", "OnMessage", word));

    [Fact]
    public Task InternalAndProtectedInternalHandlers_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public class Chat
        {
            [OnMessage] internal void Message(string text) { }
            [OnOpen] protected internal void Open() { }
        }
        """);

    [Fact]
    public Task GenericHandler_AWE0117() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public void {|#0:Open|}<T>() { }
        }
        """,
        Verify.Diagnostic("AWE0117").WithLocation(0).WithArguments("Chat.Open", "OnOpen"));

    [Fact]
    public Task StaticHandler_AWE0118() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public static void {|#0:Message|}(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0118").WithLocation(0).WithArguments("Chat.Message", "OnMessage"));

    [Fact]
    public Task TwoLifecycleAttributesOnOneMethod_AWE0119() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen, OnClose] public void {|#0:OpenOrClose|}() { }
        }
        """,
        Verify.Diagnostic("AWE0119").WithLocation(0).WithArguments("Chat.OpenOrClose", "OnOpen", "OnClose"));
}
