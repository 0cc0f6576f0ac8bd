using Annotated.WebSockets.Analyzers.Tests.Infrastructure;

namespace Annotated.WebSockets.Analyzers.Tests;

/// <summary>
/// AWE0300–AWE0303, AWE0120, and decoded or encoded types in handler signatures. The coder interfaces are
/// declared in the test source (a source declaration wins over a referenced one), so these tests do not
/// depend on whether the runtime already ships them.
/// </summary>
public sealed class CoderTests
{
    private const string Coders = """
        namespace Annotated.WebSockets
        {
            public interface ITextDecoder<T> { T Decode(string text); }
            public interface ITextStreamDecoder<T> { T Decode(TextReader reader); }
            public interface IBinaryDecoder<T> { T Decode(ReadOnlyMemory<byte> data); }
            public interface IBinaryStreamDecoder<T> { T Decode(Stream stream); }
            public interface ITextEncoder<T> { string Encode(T value); }
            public interface ITextStreamEncoder<T> { void Encode(T value, TextWriter writer); }
            public interface IBinaryEncoder<T> { byte[] Encode(T value); }
            public interface IBinaryStreamEncoder<T> { void Encode(T value, Stream stream); }
        }

        public class Point { }
        public sealed class Point3 : Point { }
        public sealed class PointDecoder : ITextDecoder<Point3> { public Point3 Decode(string text) => new(); }
        public sealed class PointBinaryDecoder : IBinaryDecoder<Point> { public Point Decode(ReadOnlyMemory<byte> data) => new(); }
        public sealed class PointEncoder : ITextEncoder<Point> { public string Encode(Point value) => "p"; }
        public sealed class Blob { }
        public sealed class BlobDecoder : IBinaryStreamDecoder<Blob> { public Blob Decode(Stream stream) => new(); }

        """;

    [Fact]
    public Task DecodedAndEncodedTypes_NoDiagnostics() => Verify.EndpointAsync(Coders + """
        public sealed class ChatConfigurator : Annotated.WebSockets.Server.ServerEndpointConfigurator { }

        [ServerEndpoint("/chat", Decoders = [typeof(PointDecoder), typeof(BlobDecoder)], Encoders = [typeof(PointEncoder)], Configurator = typeof(ChatConfigurator))]
        public sealed class Chat
        {
            [OnMessage] public Task<Point3> Text(Point message) => Task.FromResult(new Point3());
            [OnMessage] public Point Binary(Blob blob, WebSocketSession session) => new Point3();
        }
        """);

    [Fact]
    public Task DecoderNotImplementingInterface_AWE0300() => Verify.EndpointAsync(Coders + """
        public sealed class NotADecoder { }

        [ServerEndpoint("/chat", Decoders = [typeof(PointDecoder), {|#0:typeof(NotADecoder)|}])]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0300").WithLocation(0).WithArguments("Chat", "NotADecoder"));

    [Fact]
    public Task EncoderNotImplementingInterface_AWE0301() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Encoders = new[] { {|#0:typeof(PointDecoder)|} })]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0301").WithLocation(0).WithArguments("Chat", "PointDecoder"));

    [Fact]
    public Task ConfiguratorNotDerivingFromBase_AWE0302() => Verify.EndpointAsync("""
        public sealed class NotAConfigurator { }

        [ServerEndpoint("/chat", Configurator = {|#0:typeof(NotAConfigurator)|})]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0302").WithLocation(0).WithArguments("Chat", "NotAConfigurator", "ServerEndpointConfigurator"));

    [Fact]
    public Task ClientConfiguratorOfTheServerKind_AWE0302() => Verify.EndpointAsync("""
        public sealed class ServerSide : Annotated.WebSockets.Server.ServerEndpointConfigurator { }
        public sealed class ClientSide : Annotated.WebSockets.Client.ClientEndpointConfigurator { }

        [ClientEndpoint(Configurator = {|#0:typeof(ServerSide)|})]
        public sealed class WrongClient { }

        [ClientEndpoint(Configurator = typeof(ClientSide))]
        public sealed class RightClient { }
        """,
        Verify.Diagnostic("AWE0302").WithLocation(0).WithArguments("WrongClient", "ServerSide", "ClientEndpointConfigurator"));

    [Fact]
    public Task RuntimeCoderInterfaces_Recognised() => Verify.EndpointAsync("""
        public sealed class Order { }

        public sealed class OrderDecoder : ITextDecoder<Order>
        {
            public bool WillDecode(string text) => true;
            public Order Decode(string text) => new();
        }

        public sealed class OrderEncoder : IBinaryEncoder<Order>
        {
            public ReadOnlyMemory<byte> Encode(Order value) => new byte[] { 1 };
        }

        [ServerEndpoint("/orders", Decoders = [typeof(OrderDecoder), {|#0:typeof(Order)|}], Encoders = [typeof(OrderEncoder)])]
        public sealed class Orders
        {
            [OnMessage] public Order Message(Order order) => order;
            [OnMessage] public void {|#1:Text|}(string text) { }
        }
        """,
        Verify.Diagnostic("AWE0300").WithLocation(0).WithArguments("Orders", "Order"),
        Verify.Diagnostic("AWE0107").WithLocation(1).WithArguments("Orders.Text", "text", "Orders.Message"));

    [Fact]
    public Task AbstractConfigurator_AWE0303() => Verify.EndpointAsync("""
        public abstract class BaseConfigurator : Annotated.WebSockets.Server.ServerEndpointConfigurator { }

        [ServerEndpoint("/chat", Configurator = {|#0:typeof(BaseConfigurator)|})]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0303").WithLocation(0).WithArguments("Chat", "BaseConfigurator", "its configurator", "is abstract"));

    [Fact]
    public Task CodersThatCannotBeCreated_AWE0303() => Verify.EndpointAsync(Coders + """
        public abstract class AbstractDecoder : ITextDecoder<Point> { public Point Decode(string text) => new(); }
        public sealed class HiddenEncoder : ITextEncoder<Point> { private HiddenEncoder() { } public string Encode(Point value) => "p"; }

        [ServerEndpoint("/chat", Decoders = [{|#0:typeof(AbstractDecoder)|}], Encoders = [{|#1:typeof(HiddenEncoder)|}])]
        public sealed class Chat { }
        """,
        Verify.Diagnostic("AWE0303").WithLocation(0).WithArguments("Chat", "AbstractDecoder", "a decoder", "is abstract"),
        Verify.Diagnostic("AWE0303").WithLocation(1).WithArguments("Chat", "HiddenEncoder", "an encoder", "has no public parameterless constructor"));

    [Fact]
    public Task DecoderForAnotherType_AWE0104() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Decoders = [typeof(BlobDecoder)])]
        public sealed class Chat
        {
            [OnMessage] public void Message({|#0:Point point|}) { }
        }
        """,
        Verify.Diagnostic("AWE0104").WithLocation(0).WithArguments("Chat.Message", "point", "Point"));

    [Fact]
    public Task DecodedTextTypeBesideStringHandler_AWE0107() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Decoders = [typeof(PointDecoder)])]
        public sealed class Chat
        {
            [OnMessage] public void Text(string text) { }
            [OnMessage] public void {|#0:Decoded|}(Point point) { }
        }
        """,
        Verify.Diagnostic("AWE0107").WithLocation(0).WithArguments("Chat.Decoded", "text", "Chat.Text"));

    [Fact]
    public Task DecodedTypeBothTextAndBinary_AWE0120() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Decoders = [typeof(PointDecoder), typeof(PointBinaryDecoder)])]
        public sealed class Chat
        {
            [OnMessage] public void Message({|#0:Point point|}) { }
        }
        """,
        Verify.Diagnostic("AWE0120").WithLocation(0).WithArguments("Chat.Message", "point", "Point"));

    [Fact]
    public Task PartialFlagWithDecodedType_AWE0105() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Decoders = [typeof(PointDecoder)])]
        public sealed class Chat
        {
            [OnMessage] public void Message(Point point, {|#0:bool last|}) { }
        }
        """,
        Verify.Diagnostic("AWE0105").WithLocation(0).WithArguments("Chat.Message", "last", "Point"));

    [Fact]
    public Task ResultWithoutEncoder_AWE0114() => Verify.EndpointAsync(Coders + """
        [ServerEndpoint("/chat", Encoders = [typeof(PointEncoder)])]
        public sealed class Chat
        {
            [OnMessage] public {|#0:ValueTask<Blob>|} Message(string text) => default;
        }
        """,
        Verify.Diagnostic("AWE0114").WithLocation(0).WithArguments("Chat.Message", "ValueTask<Blob>", "Blob"));

    // The runtime's UTF-8 text coder interfaces: a text coder for every rule.
    private const string Utf8Coders = """
        public sealed class Order { }

        public sealed class OrderUtf8Decoder : IUtf8TextDecoder<Order>
        {
            public bool WillDecode(Utf8Text text) => true;
            public Order Decode(Utf8Text text) => new();
        }

        public sealed class OrderUtf8Encoder : IUtf8TextEncoder<Order>
        {
            public Utf8Text EncodeUtf8(Order value) => Utf8Text.Empty;
        }

        public sealed class OrderBinaryDecoder : IBinaryDecoder<Order>
        {
            public bool WillDecode(ReadOnlyMemory<byte> data) => true;
            public Order Decode(ReadOnlyMemory<byte> data) => new();
        }

        """;

    [Fact]
    public Task Utf8TextCoders_SatisfyDecodedParametersAndResults_NoDiagnostics() => Verify.EndpointAsync(Utf8Coders + """
        public sealed class OrderJson() : JsonTextCoder<Order>(
            (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Order>)System.Text.Json.JsonSerializerOptions.Default.GetTypeInfo(typeof(Order)));

        [ServerEndpoint("/orders", Decoders = [typeof(OrderUtf8Decoder)], Encoders = [typeof(OrderUtf8Encoder)])]
        public sealed class Orders
        {
            [OnMessage] public Task<Order> Message(Order order, WebSocketSession session) => Task.FromResult(order);
            [OnMessage] public void Binary(byte[] data) { }
        }

        [ClientEndpoint(Decoders = [typeof(OrderJson)], Encoders = [typeof(OrderJson)])]
        public sealed class OrdersClient
        {
            [OnMessage] public Order Message(Order order) => order;
        }
        """);

    [Fact]
    public Task Utf8TextDecoderAndBinaryDecoder_AWE0120() => Verify.EndpointAsync(Utf8Coders + """
        [ServerEndpoint("/orders", Decoders = [typeof(OrderUtf8Decoder), typeof(OrderBinaryDecoder)])]
        public sealed class Orders
        {
            [OnMessage] public void Message({|#0:Order order|}) { }
        }
        """,
        Verify.Diagnostic("AWE0120").WithLocation(0).WithArguments("Orders.Message", "order", "Order"));

    [Fact]
    public Task Utf8TextDecodedTypeBesideStringHandler_AWE0107() => Verify.EndpointAsync(Utf8Coders + """
        [ServerEndpoint("/orders", Decoders = [typeof(OrderUtf8Decoder)])]
        public sealed class Orders
        {
            [OnMessage] public void Text(string text) { }
            [OnMessage] public void {|#0:Decoded|}(Order order) { }
        }
        """,
        Verify.Diagnostic("AWE0107").WithLocation(0).WithArguments("Orders.Decoded", "text", "Orders.Text"));

    [Fact]
    public Task Utf8TextDecoderWithoutEncoderForTheResult_AWE0114_AndPartialFlag_AWE0105() => Verify.EndpointAsync(Utf8Coders + """
        [ServerEndpoint("/orders", Decoders = [typeof(OrderUtf8Decoder)], Encoders = [typeof(OrderUtf8Encoder)])]
        public sealed class Orders
        {
            [OnMessage] public void Message(Order order, {|#0:bool last|}) { }
        }

        [ServerEndpoint("/receipts", Decoders = [typeof(OrderUtf8Decoder)])]
        public sealed class Receipts
        {
            [OnMessage] public {|#1:Order|} Message(Order order) => order;
        }
        """,
        Verify.Diagnostic("AWE0105").WithLocation(0).WithArguments("Orders.Message", "last", "Order"),
        Verify.Diagnostic("AWE0114").WithLocation(1).WithArguments("Receipts.Message", "Order", "Order"));

    [Fact]
    public Task Utf8TextCodersOnTheWrongSideOrNotCreatable_AWE0300_AWE0301_AWE0303() => Verify.EndpointAsync(Utf8Coders + """
        public sealed class HiddenDecoder : IUtf8TextDecoder<Order>
        {
            private HiddenDecoder() { }
            public bool WillDecode(Utf8Text text) => true;
            public Order Decode(Utf8Text text) => new();
        }

        [ServerEndpoint("/orders", Decoders = [{|#0:typeof(OrderUtf8Encoder)|}, {|#2:typeof(HiddenDecoder)|}], Encoders = [{|#1:typeof(OrderUtf8Decoder)|}])]
        public sealed class Orders { }
        """,
        Verify.Diagnostic("AWE0300").WithLocation(0).WithArguments("Orders", "OrderUtf8Encoder"),
        Verify.Diagnostic("AWE0301").WithLocation(1).WithArguments("Orders", "OrderUtf8Decoder"),
        Verify.Diagnostic("AWE0303").WithLocation(2).WithArguments("Orders", "HiddenDecoder", "a decoder", "has no public parameterless constructor"));

    [Fact]
    public Task RuntimeWithoutCoderTypes_CoderRulesSkipped() => Verify.AnalyzerAsync<EndpointAnalyzer>(
        """
        namespace Annotated.WebSockets
        {
            [AttributeUsage(AttributeTargets.Class)]
            public sealed class ServerEndpointAttribute : Attribute
            {
                public ServerEndpointAttribute(string path) { }
                public Type[] Decoders { get; set; } = [];
                public Type? Configurator { get; set; }
            }

            [AttributeUsage(AttributeTargets.Method)]
            public sealed class OnMessageAttribute : Attribute { }
        }

        public sealed class Anything { }

        [ServerEndpoint("/chat", Decoders = [typeof(Anything)], Configurator = typeof(Anything))]
        public sealed class Chat
        {
            [OnMessage] public void Message(string text) { }
        }
        """,
        TestReferences.Framework);
}
