using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>AWE0400 (a send of an undeclared type) and AWE0401 (a payload the description cannot describe).</summary>
public sealed class DescriptionAnalyzerTests
{
    private const string Messages = """

        public sealed record Notice(string Text);
        public sealed record Order(string Id);
        public sealed class NoticeJson() : JsonTextCoder<Notice>(null!);
        public sealed class OrderJson() : JsonTextCoder<Order>(null!);
        """;

    [Fact]
    public Task EndpointWithoutDeclarations_SendsAnything_NoDiagnostic() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a", Encoders = [typeof(NoticeJson)])]
        public sealed class A
        {
            [OnOpen]
            public async Task Open(WebSocketSession session)
            {
                await session.BasicRemote.SendTextAsync("hi");
                await session.BasicRemote.SendObjectAsync(new Notice("n"));
            }
        }
        """ + Messages);

    [Fact]
    public Task DeclaredSends_NoDiagnostic() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a", Encoders = [typeof(NoticeJson)])]
        [SendsMessage(typeof(Notice))]
        [SendsMessage(typeof(string))]
        [SendsMessage(typeof(byte[]))]
        public sealed class A(WebSocketGroups groups)
        {
            [OnOpen]
            public async Task Open(WebSocketSession session)
            {
                await session.BasicRemote.SendTextAsync("hi");
                await session.BasicRemote.SendObjectAsync(new Notice("n"));
                await session.AsyncRemote.SendBinaryAsync(new byte[] { 1 });
                await groups.SendToGroupAsync("room", "hello");
            }
        }
        """ + Messages);

    [Fact]
    public Task UndeclaredObjectSend_AWE0400() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a", Encoders = [typeof(NoticeJson), typeof(OrderJson)])]
        [SendsMessage(typeof(Notice))]
        public sealed class A
        {
            [OnOpen]
            public Task Open(WebSocketSession session) => {|#0:session.BasicRemote.SendObjectAsync(new Order("o"))|};
        }
        """ + Messages,
        Verify.Diagnostic("AWE0400").WithLocation(0).WithArguments("A", "Order"));

    [Fact]
    public Task UndeclaredGroupTextInALambda_AWE0400() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a", Encoders = [typeof(NoticeJson)])]
        [SendsMessage(typeof(Notice))]
        public sealed class A(WebSocketGroups groups)
        {
            [OnClose]
            public Task Close()
            {
                Func<Task> announce = async () => await {|#0:groups.SendToGroupAsync("room", "bye")|};
                return announce();
            }
        }
        """ + Messages,
        Verify.Diagnostic("AWE0400").WithLocation(0).WithArguments("A", "string"));

    [Fact]
    public Task DecoderWithoutJsonContract_AWE0401() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        public sealed record CsvLine(string[] Cells);
        public sealed class CsvDecoder : ITextDecoder<CsvLine>
        {
            public bool WillDecode(string text) => true;
            public CsvLine Decode(string text) => new(text.Split(','));
        }

        [ServerEndpoint("/import", Decoders = [typeof(CsvDecoder)])]
        public sealed class {|#0:Import|}
        {
            [OnMessage] public void Take(CsvLine line) { }
        }
        """,
        Verify.Diagnostic("AWE0401").WithLocation(0).WithArguments(
            "Import", "Take's", "CsvLine", "CsvDecoder, which decodes it, is not an IJsonCoder, so the text it decodes has no JSON contract to describe"));

    [Fact]
    public Task DeclaredSendWithNoContract_AWE0401() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a")]
        [SendsMessage(typeof(Notice))]
        public sealed class {|#0:A|}
        {
            [OnMessage] public void Take(string text) { }
        }
        """ + Messages,
        Verify.Diagnostic("AWE0401").WithLocation(0).WithArguments(
            "A", "declared sent", "Notice", "no encoder of the endpoint writes Notice and [SendsMessage] names no JsonContext for it"));

    [Fact]
    public Task JsonCodersAndPlainText_NoDiagnostic() => Verify.AnalyzerAsync<DescriptionAnalyzer>("""
        [ServerEndpoint("/a/{id}", Decoders = [typeof(OrderJson)], Encoders = [typeof(NoticeJson)])]
        [SendsMessage(typeof(string))]
        public sealed class A
        {
            [OnMessage] public Notice Take(Order order, [PathParam("id")] int id) => new(order.Id);
        }
        """ + Messages);
}
