using Annotated.WebSockets.Analyzers.Tests.Infrastructure;
using Annotated.WebSockets.SourceGeneration;
using Annotated.WebSockets.SourceGeneration.Validation;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0100–AWE0107, AWE0114: [OnMessage] methods.</summary>
public sealed class MessageHandlerTests
{
    [Fact]
    public Task EveryNativeMessageType_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/text")] public sealed class T1 { [OnMessage] public void M(string text) { } }
        [ServerEndpoint("/partial-text")] public sealed class T2 { [OnMessage] public void M(bool last, string text) { } }
        [ServerEndpoint("/reader")] public sealed class T3 { [OnMessage] public void M(TextReader reader) { } }
        [ServerEndpoint("/int")] public sealed class T4 { [OnMessage] public int M(int value) => value; }
        [ServerEndpoint("/nullable")] public sealed class T5 { [OnMessage] public void M(double? value) { } }
        [ServerEndpoint("/bool")] public sealed class T6 { [OnMessage] public bool M(bool value) => value; }
        [ServerEndpoint("/decimal")] public sealed class T7 { [OnMessage] public void M(decimal value, WebSocketSession session) { } }
        [ServerEndpoint("/bytes")] public sealed class B1 { [OnMessage] public byte[] M(byte[] data) => data; }
        [ServerEndpoint("/bytes-partial")] public sealed class B2 { [OnMessage] public void M(byte[] data, bool last) { } }
        [ServerEndpoint("/memory")] public sealed class B3 { [OnMessage] public ReadOnlyMemory<byte> M(ReadOnlyMemory<byte> data) => data; }
        [ServerEndpoint("/segment")] public sealed class B4 { [OnMessage] public ArraySegment<byte> M(ArraySegment<byte> data) => data; }
        [ServerEndpoint("/stream")] public sealed class B5 { [OnMessage] public Task M(Stream data) => Task.CompletedTask; }
        [ServerEndpoint("/pong")] public sealed class P1 { [OnMessage] public string M(PongMessage pong, WebSocketSession session) => "pong"; }
        [ServerEndpoint("/async")] public sealed class A1 { [OnMessage] public async ValueTask<string> M(string text) { await Task.Yield(); return text; } }
        [ServerEndpoint("/async-task")] public sealed class A2 { [OnMessage] public Task<long?> M(string text) => Task.FromResult<long?>(1); }
        """);

    [Fact]
    public Task Utf8TextMessagesAndResults_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/echo")] public sealed class U1 { [OnMessage] public Utf8Text M(Utf8Text text) => text; }
        [ServerEndpoint("/rooms/{room}")]
        public sealed class U2
        {
            [OnMessage(MaxMessageSize = 1024)]
            public Task<Utf8Text> M(WebSocketSession session, Utf8Text text, [PathParam("room")] string room) => Task.FromResult(text);

            [OnMessage] public void Binary(byte[] data, bool last) { }
        }
        [ServerEndpoint("/result")] public sealed class U3 { [OnMessage] public ValueTask<Utf8Text> M(int value) => new(new Utf8Text("n")); }
        [ClientEndpoint] public sealed class U4 { [OnMessage] public async Task<Utf8Text> M(Utf8Text text) { await Task.Yield(); return Utf8Text.Empty; } }
        """);

    [Fact]
    public Task MaxMessageSizeAboveIntMaxValue_AWE0100() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = {|#0:3_000_000_000L|})] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0100").WithLocation(0).WithArguments("Chat.Message", 3_000_000_000L));

    [Fact]
    public Task MaxMessageSizeAtLimits_NoDiagnostics() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = int.MaxValue)] public void Message(string text) { }
            [OnMessage(MaxMessageSize = -1)] public void Binary(byte[] data, bool last) { }
            [OnMessage(MaxMessageSize = 1)] public void Pong(PongMessage pong) { }
        }
        """);

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("long.MinValue")]
    public Task MaxMessageSizeZeroOrBelowMinusOne_AWE0101(string value) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = {|#0:{{value}}|})] public void Message(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0101").WithLocation(0).WithArguments("Chat.Message", value == "long.MinValue" ? long.MinValue : long.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public Task MaxMessageSizeOnPartialOrStreamHandler_AWE0102() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage(MaxMessageSize = {|#0:1024|})] public void Text(string text, bool last) { }
            [OnMessage(MaxMessageSize = {|#1:1024|})] public void Binary(Stream data) { }
        }
        """,
        Verify.Diagnostic("AWE0102").WithLocation(0).WithArguments("Chat.Text", "partial messages ('bool last')"),
        Verify.Diagnostic("AWE0102").WithLocation(1).WithArguments("Chat.Binary", "a Stream"));

    [Fact]
    public Task NoMessageParameter_AWE0103() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void {|#0:Message|}(WebSocketSession session) { }
        }
        """,
        Verify.Diagnostic("AWE0103").WithLocation(0).WithArguments("Chat.Message", 0, ""));

    [Fact]
    public Task TwoMessageParameters_AWE0103() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void {|#0:Message|}(string text, int count) { }
        }
        """,
        Verify.Diagnostic("AWE0103").WithLocation(0).WithArguments("Chat.Message", 2, " ('text', 'count')"));

    [Fact]
    public Task UnsupportedMessageType_AWE0104() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void Message({|#0:DateTime when|}, WebSocketSession session) { }
        }
        """,
        Verify.Diagnostic("AWE0104").WithLocation(0).WithArguments("Chat.Message", "when", "DateTime"));

    [Theory]
    [InlineData("Stream")]
    [InlineData("TextReader")]
    [InlineData("PongMessage")]
    [InlineData("int")]
    [InlineData("ArraySegment<byte>")]
    public Task PartialFlagOnWholeOnlyType_AWE0105(string type) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void Message({{type}} message, {|#0:bool last|}) { }
        }
        """,
        Verify.Diagnostic("AWE0105").WithLocation(0).WithArguments("Chat.Message", "last", type));

    [Fact]
    public Task PartialUtf8Text_AWE0105() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void Message(Utf8Text part, {|#0:bool last|}) { }
        }
        """,
        Verify.Diagnostic("AWE0105").WithLocation(0).WithArguments("Chat.Message", "last", "Utf8Text"));

    [Fact]
    public Task UnexpectedParameterOnMessage_AWE0106() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void Message(string text, WebSocketSession session, {|#0:WebSocketSession other|}, {|#1:ref int count|}) { }
        }
        """,
        Verify.Diagnostic("AWE0106").WithLocation(0).WithArguments("Chat.Message", "OnMessage", "other", "WebSocketSession", "a WebSocketSession parameter may appear only once"),
        Verify.Diagnostic("AWE0106").WithLocation(1).WithArguments("Chat.Message", "OnMessage", "count", "int", "ref, out and in parameters are not allowed in handlers"));

    [Theory]
    [InlineData("string text", "TextReader reader", "text")]
    [InlineData("int number", "string text, bool last", "text")]
    [InlineData("string text", "Utf8Text text", "text")]
    [InlineData("Utf8Text text, WebSocketSession session", "string text", "text")]
    [InlineData("byte[] data", "Stream stream", "binary")]
    [InlineData("ReadOnlyMemory<byte> data", "ReadOnlyMemory<byte> data, bool last", "binary")]
    [InlineData("PongMessage pong", "PongMessage pong, WebSocketSession session", "pong")]
    public Task TwoHandlersForOneKind_AWE0107(string first, string second, string kind) => Verify.EndpointAsync($$"""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public void First({{first}}) { }
            [OnMessage] public void {|#0:Second|}({{second}}) { }
        }
        """,
        Verify.Diagnostic("AWE0107").WithLocation(0).WithArguments("Chat.Second", kind, "Chat.First"));

    [Fact]
    public Task UnsendableResult_AWE0114() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public {|#0:DateTime|} Text(string text) => default;
            [OnMessage] public {|#1:Task<object>|} Binary(byte[] data) => Task.FromResult(new object());
        }
        """,
        Verify.Diagnostic("AWE0114").WithLocation(0).WithArguments("Chat.Text", "DateTime", "DateTime"),
        Verify.Diagnostic("AWE0114").WithLocation(1).WithArguments("Chat.Binary", "Task<object>", "object"));

    [Fact]
    public Task NullableUtf8TextResult_AWE0114() => Verify.EndpointAsync("""
        [ServerEndpoint("/chat")]
        public sealed class Chat
        {
            [OnMessage] public {|#0:Utf8Text?|} Text(string text) => null;
            [OnMessage] public {|#1:Task<ReadOnlyMemory<byte>?>|} Binary(byte[] data) => Task.FromResult<ReadOnlyMemory<byte>?>(null);
        }
        """,
        Verify.Diagnostic("AWE0114").WithLocation(0).WithArguments("Chat.Text", "Utf8Text?", "Utf8Text?"),
        Verify.Diagnostic("AWE0114").WithLocation(1).WithArguments("Chat.Binary", "Task<ReadOnlyMemory<byte>?>", "ReadOnlyMemory<byte>?"));

    [Fact]
    public void AllowedParametersNamesEveryKind()
    {
        Assert.Contains("EndpointConfig", EndpointValidator.AllowedParameters(HandlerKind.OnOpen), StringComparison.Ordinal);
        Assert.Contains("CloseReason", EndpointValidator.AllowedParameters(HandlerKind.OnClose), StringComparison.Ordinal);
        Assert.Contains("Exception", EndpointValidator.AllowedParameters(HandlerKind.OnError), StringComparison.Ordinal);
        Assert.Contains("bool last", EndpointValidator.AllowedParameters(HandlerKind.OnMessage), StringComparison.Ordinal);
    }
}
