using Annotated.WebSockets.Analyzers.Tests.Infrastructure;
using Annotated.WebSockets.CodeFixes;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>Before/after tests for every code fix.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public Task MaxMessageSizeAboveIntMaxValue_ClampedToIntMaxValue() => Verify.CodeFixAsync<EndpointAnalyzer, MaxMessageSizeCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = {|#0:5_000_000_000|})] public void Message(string text) { }
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = int.MaxValue)] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0100").WithLocation(0).WithArguments("Chat.Message", 5_000_000_000L));

    [Fact]
    public Task OnErrorWithoutException_ParameterAdded() => Verify.CodeFixAsync<EndpointAnalyzer, OnErrorExceptionParameterCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError]
            public void {|#0:Error|}(WebSocketSession session)
            {
            }
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError]
            public void Error(WebSocketSession session, Exception error)
            {
            }
        }
        """,
        Verify.Diagnostic("AWE0110").WithLocation(0).WithArguments("Chat.Error"));

    [Fact]
    public Task OnErrorWithoutParameters_ParameterAddedWithFreeName() => Verify.CodeFixAsync<EndpointAnalyzer, OnErrorExceptionParameterCodeFixProvider>(
        """
        [ServerEndpoint("/chat/{error}")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}([PathParam("error")] string error) { }
        }
        """,
        """
        [ServerEndpoint("/chat/{error}")]
        public sealed class Chat
        {
            [OnError] public void Error([PathParam("error")] string error, Exception error1) { }
        }
        """,
        Verify.Diagnostic("AWE0110").WithLocation(0).WithArguments("Chat.Error"));

    [Fact]
    public Task AsyncVoid_BecomesAsyncTask() => Verify.CodeFixAsync<EndpointAnalyzer, AsyncVoidCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage]
            public async void {|#0:Message|}(string text, WebSocketSession session)
            {
                await Task.Yield();
            }
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage]
            public async Task Message(string text, WebSocketSession session)
            {
                await Task.Yield();
            }
        }
        """,
        Verify.Diagnostic("AWE0115").WithLocation(0).WithArguments("Chat.Message", "OnMessage"));

    [Fact]
    public Task InternalEndpointInInternalType_AllMadePublic() => Verify.CodeFixAsync<EndpointAnalyzer, MakePublicCodeFixProvider>(
        """
        internal static class Outer
        {
            [ServerEndpoint("/chat")]
            sealed class {|#0:Chat|}
            {
            }
        }
        """,
        """
        public static class Outer
        {
            [ServerEndpoint("/chat")]
            public sealed class Chat
            {
            }
        }
        """,
        Verify.Diagnostic("AWE0001").WithLocation(0).WithArguments("Chat", "ServerEndpoint", "is private", "a server endpoint class and every type containing it must be public"));

    [Fact]
    public Task PrivateHandler_MadePublic() => Verify.CodeFixAsync<EndpointAnalyzer, MakePublicCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] private void {|#0:Message|}(string text) { }
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0116").WithLocation(0).WithArguments("Chat.Message", "OnMessage", "private"));

    [Fact]
    public Task SeveralAsyncVoidHandlers_AllFixed() => Verify.CodeFixAsync<EndpointAnalyzer, AsyncVoidCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public async void {|#0:Open|}() => await Task.Yield();
            [OnClose] public async void {|#1:Close|}() => await Task.Yield();
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnOpen] public async Task Open() => await Task.Yield();
            [OnClose] public async Task Close() => await Task.Yield();
        }
        """,
        Verify.Diagnostic("AWE0115").WithLocation(0).WithArguments("Chat.Open", "OnOpen"),
        Verify.Diagnostic("AWE0115").WithLocation(1).WithArguments("Chat.Close", "OnClose"));

    [Fact]
    public Task OnErrorWithTwoExceptions_NoFixOffered() => Verify.CodeFixAsync<EndpointAnalyzer, OnErrorExceptionParameterCodeFixProvider>(
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}(Exception first, Exception second) { }
        }
        """,
        """
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnError] public void {|#0:Error|}(Exception first, Exception second) { }
        }
        """,
        Verify.Diagnostic("AWE0109").WithLocation(0).WithArguments("Chat.Error", 2));
}
