namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// Endpoint classes shared by the snapshot tests and the compile-and-run tests. Each records its calls in a
/// static <c>Calls</c> list so a test can see which user method ran with which arguments.
/// </summary>
internal static class EndpointSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;
        using Annotated.WebSockets;

        """;

    public const string EchoText = Usings + """
        namespace Samples;

        [ServerEndpoint("/echo")]
        public sealed class EchoEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public string Echo(string text)
            {
                Calls.Add("Echo:" + text);
                return "echo:" + text;
            }
        }
        """;

    public const string BinaryByteArray = Usings + """
        namespace Samples;

        [ServerEndpoint("/bytes")]
        public sealed class BytesEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage(MaxMessageSize = 4096)]
            public byte[]? Reverse(WebSocketSession session, byte[] data)
            {
                Calls.Add("Reverse:" + Convert.ToHexString(data));
                if (data.Length == 0)
                {
                    return null;
                }

                Array.Reverse(data);
                return data;
            }
        }
        """;

    public const string BinaryReadOnlyMemory = Usings + """
        namespace Samples;

        [ServerEndpoint("/memory")]
        public sealed class MemoryEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage(MaxMessageSize = 65536)]
            public ReadOnlyMemory<byte> Echo(ReadOnlyMemory<byte> data)
            {
                Calls.Add("Echo:" + Convert.ToHexString(data.Span));
                return data;
            }

            [OnMessage]
            public int Length(string text) => text.Length;
        }
        """;

    public const string PathParameters = Usings + """
        namespace Samples;

        [ServerEndpoint("/rooms/{room}/{id}/{ratio}/{flag}/{initial}/{key}/{limit}")]
        public sealed class RoomEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnOpen]
            public void Open(
                [PathParam("room")] string room,
                WebSocketSession session,
                [PathParam("id")] int id,
                [PathParam("ratio")] double ratio,
                [PathParam("flag")] bool flag,
                [PathParam("initial")] char initial,
                [PathParam("key")] Guid key,
                [PathParam("limit")] long? limit)
            {
                Calls.Add(FormattableString.Invariant($"Open:{room}:{id}:{ratio}:{flag}:{initial}:{key}:{limit}:{session.Id}"));
            }

            [OnMessage]
            public void Message(string text, [PathParam("id")] byte id, [PathParam("flag")] bool? flag)
            {
                Calls.Add($"Message:{text}:{id}:{flag}");
            }

            [OnClose]
            public void Close(CloseReason reason, [PathParam("room")] string room, [PathParam("initial")] char? initial)
            {
                Calls.Add($"Close:{(int)reason.Code}:{room}:{initial}");
            }

            [OnError]
            public void Error(Exception error, [PathParam("room")] string room)
            {
                Calls.Add($"Error:{error.GetType().Name}:{room}");
            }
        }
        """;

    public const string AsyncReturns = Usings + """
        namespace Samples;

        [ServerEndpoint("/async")]
        public sealed class AsyncEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnOpen]
            public async ValueTask Open(WebSocketSession session, EndpointConfig config)
            {
                await Task.Yield();
                Calls.Add("Open:" + config.Decoders.Count);
            }

            [OnMessage]
            public async Task<string> Upper(string text)
            {
                await Task.Yield();
                Calls.Add("Upper:" + text);
                return text.ToUpperInvariant();
            }

            [OnMessage]
            public async ValueTask<int> Count(byte[] data)
            {
                await Task.Yield();
                Calls.Add("Count:" + data.Length);
                return data.Length;
            }

            [OnError]
            public Task Error(WebSocketSession session, Exception error)
            {
                Calls.Add("Error:" + error.Message);
                return Task.CompletedTask;
            }

            [OnClose]
            public Task Close(WebSocketSession session)
            {
                Calls.Add("Close");
                return Task.CompletedTask;
            }
        }
        """;

    public const string Pong = Usings + """
        namespace Samples;

        [ServerEndpoint("/pong")]
        public sealed class PongEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public string Pong(WebSocketSession session, PongMessage pong)
            {
                Calls.Add("Pong:" + pong.ApplicationData.Length);
                return "pong " + pong.ApplicationData.Length;
            }
        }
        """;

    public const string PartialText = Usings + """
        namespace Samples;

        [ServerEndpoint("/partial-text")]
        public sealed class PartialTextEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public bool? Part(string part, bool last)
            {
                Calls.Add($"Part:{part}:{last}");
                return last ? true : null;
            }
        }
        """;

    public const string PartialBinary = Usings + """
        namespace Samples;

        [ServerEndpoint("/partial-binary")]
        public sealed class PartialBinaryEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Task Part(bool last, ReadOnlyMemory<byte> part, WebSocketSession session)
            {
                Calls.Add($"Part:{part.Length}:{last}");
                return Task.CompletedTask;
            }
        }
        """;

    public const string Streams = Usings + """
        namespace Samples;

        [ServerEndpoint("/streams")]
        public sealed class StreamEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public async Task<string> Text(TextReader reader)
            {
                var text = await reader.ReadToEndAsync();
                Calls.Add("Text:" + text);
                return text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            [OnMessage]
            public async ValueTask Binary(Stream stream, WebSocketSession session)
            {
                var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer);
                Calls.Add("Binary:" + buffer.Length);
            }
        }
        """;

    public const string ConstructorInjection = Usings + """
        namespace Samples;

        public interface IGreeter
        {
            string Greet(string name);
        }

        public interface IClock
        {
            DateTimeOffset Now { get; }
        }

        public sealed class Greeter : IGreeter
        {
            public string Greet(string name) => "Hello, " + name;
        }

        public sealed class FixedClock : IClock
        {
            public DateTimeOffset Now => DateTimeOffset.UnixEpoch;
        }

        [ServerEndpoint("/greet")]
        public sealed class GreetingEndpoint
        {
            private readonly IGreeter _greeter;

            public GreetingEndpoint(IGreeter greeter)
                : this(greeter, null!)
            {
            }

            public GreetingEndpoint(IGreeter greeter, IClock clock)
            {
                _greeter = greeter;
                Clock = clock;
            }

            public IClock Clock { get; }

            [OnMessage]
            public string Greet(string name) => _greeter.Greet(name);
        }
        """;

    public const string ClientEndpoint = Usings + """
        namespace Samples.Clients;

        [ClientEndpoint(Subprotocols = new[] { "chat.v1" })]
        public sealed class ChatClient
        {
            public static readonly List<string> Calls = new();

            [OnOpen]
            public void Open(WebSocketSession session) => Calls.Add("Open");

            [OnMessage]
            public void Message(string text) => Calls.Add("Message:" + text);

            [OnClose]
            public void Close(CloseReason reason) => Calls.Add("Close:" + (int)reason.Code);
        }
        """;

    public const string InheritedHandlers = Usings + """
        namespace Samples;

        public abstract class EndpointBase
        {
            public static readonly List<string> Calls = new();

            [OnOpen]
            public virtual void Open(WebSocketSession session) => Calls.Add("Base.Open");

            [OnMessage]
            public virtual string Message(string text)
            {
                Calls.Add("Base.Message:" + text);
                return "base";
            }

            [OnMessage]
            public void Binary(byte[] data) => Calls.Add("Base.Binary:" + data.Length);

            [OnClose]
            public void Close() => Calls.Add("Base.Close");
        }

        [ServerEndpoint("/inherited")]
        public sealed class InheritedEndpoint : EndpointBase
        {
            // An override without the attribute switches the callback off (spec §4.8).
            public override void Open(WebSocketSession session) => Calls.Add("Derived.Open");

            // Not a handler; a call written as `endpoint.Binary(bytes)` would bind to it rather than to the base method.
            public void Binary(object data) => Calls.Add("Derived.Binary(object)");

            // An override annotated again replaces the base method.
            [OnMessage]
            public override string Message(string text)
            {
                Calls.Add("Derived.Message:" + text);
                return "derived";
            }
        }
        """;

    public const string SubprotocolsAndConfigurator = Usings + """
        namespace Samples;

        public sealed class ChatConfigurator : Annotated.WebSockets.Server.ServerEndpointConfigurator
        {
        }

        [ServerEndpoint("/chat/{room}", Subprotocols = new[] { "chat.v2", "chat.v1", "say \"hi\"" }, Configurator = typeof(ChatConfigurator))]
        public sealed class ChatEndpoint
        {
            [OnMessage(MaxMessageSize = 1024)]
            public void Message(string text, [PathParam("room")] string room)
            {
            }

            [OnMessage(MaxMessageSize = 2048)]
            public void Binary(ArraySegment<byte> data)
            {
            }
        }
        """;

    public const string PrimitiveResults = Usings + """
        namespace Samples;

        [ServerEndpoint("/numbers")]
        public sealed class NumberEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Task<double> Half(string text)
            {
                Calls.Add("Half:" + text);
                return Task.FromResult(text.Length / 2.0);
            }

            [OnMessage]
            public char First(ArraySegment<byte> data)
            {
                Calls.Add("First:" + data.Count);
                return (char)data[0];
            }

            [OnMessage]
            public ValueTask<bool> Pong(PongMessage pong) => new(pong.ApplicationData.Length > 0);
        }
        """;

    public const string ParsedTextMessages = Usings + """
        namespace Samples;

        [ServerEndpoint("/twice")]
        public sealed class TwiceEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public long Twice(WebSocketSession session, int value)
            {
                Calls.Add("Twice:" + value);
                return value * 2L;
            }
        }

        [ServerEndpoint("/not")]
        public sealed class NotEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public bool Not(bool value)
            {
                Calls.Add("Not:" + value);
                return !value;
            }
        }

        [ServerEndpoint("/letter")]
        public sealed class LetterEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Task Letter(char? letter)
            {
                Calls.Add("Letter:" + letter);
                return Task.CompletedTask;
            }
        }
        """;

    public const string NestedInGlobalNamespace = """
        using Annotated.WebSockets;

        public static class Outer
        {
            [ServerEndpoint("/nested")]
            public sealed class NestedEndpoint
            {
                [OnMessage]
                public void @event(string text)
                {
                }
            }
        }
        """;

    public const string TwoEndpoints = Usings + """
        namespace Samples;

        [ServerEndpoint("/b")]
        public sealed class BEndpoint
        {
            [OnMessage]
            public void Message(string text)
            {
            }
        }

        [ServerEndpoint("/a")]
        public sealed class AEndpoint
        {
            [OnOpen]
            public void Open()
            {
            }
        }
        """;

    public const string Coders = Usings + """
        namespace Samples;

        public sealed record Order(string Item, int Count);

        public sealed record Receipt(string Text);

        public readonly record struct Point(byte X, byte Y);

        public abstract class RecordingCoder : ICoder
        {
            public static readonly List<string> Events = new();

            public void Init(EndpointConfig config) => Events.Add("Init:" + GetType().Name);

            public void Destroy() => Events.Add("Destroy:" + GetType().Name);
        }

        // Takes "order:<item>:<count>"; refuses anything else, so the stream decoder after it gets the rest.
        public sealed class OrderDecoder : RecordingCoder, ITextDecoder<Order>
        {
            public bool WillDecode(string text) => text.StartsWith("order:", StringComparison.Ordinal);

            public Order Decode(string text)
            {
                var parts = text.Split(':');
                return new Order(parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // Takes every text; "boom" fails with an exception that is not a DecodeException.
        public sealed class FallbackOrderDecoder : RecordingCoder, ITextStreamDecoder<Order>
        {
            public async ValueTask<Order> DecodeAsync(TextReader reader)
            {
                var text = await reader.ReadToEndAsync();
                return text == "boom" ? throw new InvalidOperationException("bad order") : new Order(text, 1);
            }
        }

        public sealed class PointDecoder : RecordingCoder, IBinaryDecoder<Point>
        {
            public bool WillDecode(ReadOnlyMemory<byte> data) => data.Length == 2;

            public Point Decode(ReadOnlyMemory<byte> data) => new(data.Span[0], data.Span[1]);
        }

        public sealed class ReceiptEncoder : RecordingCoder, ITextEncoder<Receipt>
        {
            public string Encode(Receipt value) => value.Text == "fail" ? throw new FormatException("no") : "receipt:" + value.Text;
        }

        public sealed class PointEncoder : RecordingCoder, IBinaryStreamEncoder<Point>
        {
            public async ValueTask EncodeAsync(Point value, Stream stream) => await stream.WriteAsync(new[] { value.X, value.Y });
        }

        [ServerEndpoint(
            "/orders",
            Decoders = new[] { typeof(OrderDecoder), typeof(FallbackOrderDecoder), typeof(PointDecoder) },
            Encoders = new[] { typeof(ReceiptEncoder), typeof(PointEncoder) })]
        public sealed class OrderEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Receipt? Place(Order order)
            {
                Calls.Add("Place:" + order.Item + "x" + order.Count);
                return order.Count == 0 ? null : new Receipt(order.Item);
            }

            [OnMessage]
            public Task<Point> Move(Point point)
            {
                Calls.Add("Move:" + point.X + "," + point.Y);
                return Task.FromResult(new Point((byte)(point.X + 1), point.Y));
            }

            [OnError]
            public void Error(DecodeException error) => Calls.Add("Error:" + error.Message);
        }
        """;

    public const string StreamDecoders = Usings + """
        namespace Samples;

        public sealed class Words
        {
            public Words(string[] items) => Items = items;

            public string[] Items { get; }
        }

        public sealed class WordsDecoder : ITextStreamDecoder<Words>
        {
            public async ValueTask<Words> DecodeAsync(TextReader reader) =>
                new((await reader.ReadToEndAsync()).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        public sealed class WordsEncoder : ITextStreamEncoder<Words>
        {
            public ValueTask EncodeAsync(Words value, TextWriter writer) => new(writer.WriteAsync(string.Join(",", value.Items)));
        }

        public struct Checksum
        {
            public int Value;
        }

        public struct ChecksumDecoder : IBinaryStreamDecoder<Checksum>
        {
            public async ValueTask<Checksum> DecodeAsync(Stream stream)
            {
                var sum = 0;
                var buffer = new byte[16];
                int read;
                while ((read = await stream.ReadAsync(buffer)) > 0)
                {
                    for (var i = 0; i < read; i++)
                    {
                        sum += buffer[i];
                    }
                }

                return new Checksum { Value = sum };
            }
        }

        [ClientEndpoint(Decoders = new[] { typeof(WordsDecoder), typeof(ChecksumDecoder) }, Encoders = new[] { typeof(WordsEncoder) })]
        public sealed class WordsClient
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public ValueTask<Words> Sort(Words words)
            {
                Calls.Add("Sort:" + words.Items.Length);
                Array.Sort(words.Items, StringComparer.Ordinal);
                return new(words);
            }

            [OnMessage]
            public int Sum(Checksum checksum) => checksum.Value;
        }
        """;

    public const string DecodersToReaderAndStream = Usings + """
        namespace Samples;

        public sealed class ShoutingReaderDecoder : ITextStreamDecoder<TextReader>
        {
            public async ValueTask<TextReader> DecodeAsync(TextReader reader) =>
                new StringReader((await reader.ReadToEndAsync()).ToUpperInvariant());
        }

        public sealed class ReversedStreamDecoder : IBinaryDecoder<Stream>
        {
            public bool WillDecode(ReadOnlyMemory<byte> data) => true;

            public Stream Decode(ReadOnlyMemory<byte> data)
            {
                var bytes = data.ToArray();
                Array.Reverse(bytes);
                return new MemoryStream(bytes);
            }
        }

        [ServerEndpoint("/readers", Decoders = new[] { typeof(ShoutingReaderDecoder), typeof(ReversedStreamDecoder) })]
        public sealed class ReaderEndpoint
        {
            [OnMessage]
            public string Read(TextReader reader) => reader.ReadToEnd();

            [OnMessage]
            public string First(Stream stream) => "first:" + stream.ReadByte();
        }
        """;

    public const string DerivedErrorAndNullableResults = Usings + """
        namespace Samples;

        [ServerEndpoint("/nullable")]
        public sealed class NullableEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public string? Text(double? value) => value is null ? null : "got:" + value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

            [OnMessage]
            public byte[]? Bytes(ArraySegment<byte> data) => data.Count == 0 ? null : new[] { (byte)data.Count };

            [OnError]
            public Task Error(InvalidOperationException error, WebSocketSession session)
            {
                Calls.Add("Error:" + error.Message);
                return Task.CompletedTask;
            }
        }

        // A user type with the name the dispatcher had before it moved to its own namespace.
        public sealed class NullableEndpointDispatcher
        {
        }
        """;

    public const string Utf8TextEcho = Usings + """
        namespace Samples;

        [ServerEndpoint("/utf8")]
        public sealed class Utf8EchoEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Utf8Text Echo(Utf8Text text)
            {
                Calls.Add("Echo:" + Convert.ToHexString(text.Span));
                return text;
            }
        }
        """;

    public const string Utf8TextAsyncAndClient = Usings + """
        namespace Samples;

        [ServerEndpoint("/relay/{room}")]
        public sealed class Utf8RelayEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage(MaxMessageSize = 1024)]
            public async Task<Utf8Text> Relay(WebSocketSession session, Utf8Text text, [PathParam("room")] string room)
            {
                // Read before the await: that is what a handler keeping to the buffer's lifetime does.
                var received = Convert.ToHexString(text.Span);
                await Task.Yield();
                Calls.Add("Relay:" + room + ":" + received + ":" + session.Id);
                return new Utf8Text(room + ">" + text.ToString());
            }

            [OnMessage]
            public void Binary(byte[] data) => Calls.Add("Binary:" + data.Length);
        }

        [ClientEndpoint]
        public sealed class Utf8Client
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public ValueTask<Utf8Text> Answer(Utf8Text text)
            {
                Calls.Add("Answer:" + text.Length);
                return new ValueTask<Utf8Text>(Utf8Text.Empty);
            }
        }
        """;

    public const string Utf8JsonCoder = Usings + """
        using System.Text.Json;
        using System.Text.Json.Serialization.Metadata;

        namespace Samples;

        public sealed record Order(string Item, int Count);

        // ITextDecoder, ITextEncoder, IUtf8TextDecoder and IUtf8TextEncoder of Order: the UTF-8 pair is used.
        public sealed class OrderJson() : JsonTextCoder<Order>((JsonTypeInfo<Order>)JsonSerializerOptions.Default.GetTypeInfo(typeof(Order)));

        [ServerEndpoint("/orders", Decoders = [typeof(OrderJson)], Encoders = [typeof(OrderJson)])]
        public sealed class JsonOrderEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Order Place(Order order, WebSocketSession session)
            {
                Calls.Add("Place:" + order.Item + "x" + order.Count);
                return order with { Count = order.Count * 2 };
            }
        }
        """;

    // The description: typed path parameters, subprotocols, JSON coders (IJsonCoder), a parsed number, a binary reply,
    // [SendsMessage] through an encoder, a serializer context and as plain text, and a text decoder with no contract.
    public const string DescribedEndpoint = Usings + """
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Text.Json.Serialization.Metadata;

        namespace Samples;

        public sealed record Order(string Item, int Count);
        public sealed record Notice(string Text);
        public sealed record Tick(long At);
        public sealed record Csv(string Line);

        public sealed class OrderJson() : JsonTextCoder<Order>((JsonTypeInfo<Order>)JsonSerializerOptions.Default.GetTypeInfo(typeof(Order)));
        public sealed class NoticeJson() : JsonTextCoder<Notice>((JsonTypeInfo<Notice>)JsonSerializerOptions.Default.GetTypeInfo(typeof(Notice)));

        public sealed class CsvDecoder : ITextDecoder<Csv>
        {
            public bool WillDecode(string text) => true;
            public Csv Decode(string text) => new(text);
        }

        // A hand-written context (the System.Text.Json generator does not run in these tests): Default and GetTypeInfo.
        public sealed class TickJson(JsonSerializerOptions? options) : JsonSerializerContext(options)
        {
            public static TickJson Default { get; } = new(new JsonSerializerOptions(JsonSerializerOptions.Default));
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => Options.GetTypeInfo(type);
        }

        [ServerEndpoint("/shops/{shop}/orders/{id}", Subprotocols = ["orders.v2", "orders.v1"], Decoders = [typeof(OrderJson)], Encoders = [typeof(NoticeJson)])]
        [SendsMessage(typeof(Notice))]
        [SendsMessage(typeof(Tick), JsonContext = typeof(TickJson))]
        [SendsMessage(typeof(string))]
        public sealed class OrdersEndpoint
        {
            [OnMessage(MaxMessageSize = 4096)]
            public Notice Place(Order order, [PathParam("shop")] int shop, [PathParam("id")] Guid id) => new(order.Item);

            [OnMessage]
            public byte[] Echo(byte[] data) => data;
        }

        [ServerEndpoint("/csv/{sheet}", Decoders = [typeof(CsvDecoder)])]
        public sealed class CsvEndpoint
        {
            [OnMessage]
            public int Take(Csv line) => line.Line.Length;
        }
        """;

    public const string Utf8DecoderChain = Usings + """
        using System.Text;

        namespace Samples;

        public sealed record Note(string Text, string Via);

        public static class Seen
        {
            // What the decoders were given, in order: the bytes (byte[]) or the string itself.
            public static readonly List<object> Inputs = new();
        }

        // Takes "u:<text>" from its bytes; "u:boom" fails with an exception that is not a DecodeException.
        public sealed class Utf8NoteDecoder : IUtf8TextDecoder<Note>
        {
            public bool WillDecode(Utf8Text text)
            {
                Seen.Inputs.Add(text.ToArray());
                return text.Span.StartsWith("u:"u8);
            }

            public Note Decode(Utf8Text text) =>
                text.Span.SequenceEqual("u:boom"u8) ? throw new InvalidOperationException("bad note") : new Note(Encoding.UTF8.GetString(text.Span[2..]), "utf8");
        }

        // Two decoders that take only a string, "s:<text>" and "t:<text>": they share one string per message.
        public sealed class StringNoteDecoder : ITextDecoder<Note>
        {
            public bool WillDecode(string text)
            {
                Seen.Inputs.Add(text);
                return text.StartsWith("s:", StringComparison.Ordinal);
            }

            public Note Decode(string text) => new(text[2..], "string");
        }

        public sealed class TaggedNoteDecoder : ITextDecoder<Note>
        {
            public bool WillDecode(string text)
            {
                Seen.Inputs.Add(text);
                return text.StartsWith("t:", StringComparison.Ordinal);
            }

            public Note Decode(string text)
            {
                Seen.Inputs.Add(text);
                return new(text[2..], "tagged");
            }
        }

        // Takes the rest through a reader over the same string.
        public sealed class ReaderNoteDecoder : ITextStreamDecoder<Note>
        {
            public async ValueTask<Note> DecodeAsync(TextReader reader) => new(await reader.ReadToEndAsync(), "reader");
        }

        public sealed class NoteEncoder : IUtf8TextEncoder<Note>
        {
            public Utf8Text EncodeUtf8(Note value) => value.Text == "fail" ? throw new FormatException("no") : new Utf8Text(value.Via + ">" + value.Text);
        }

        [ServerEndpoint(
            "/notes",
            Decoders = [typeof(Utf8NoteDecoder), typeof(StringNoteDecoder), typeof(TaggedNoteDecoder), typeof(ReaderNoteDecoder)],
            Encoders = [typeof(NoteEncoder)])]
        public sealed class NoteEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage]
            public Note Post(Note note)
            {
                Calls.Add("Post:" + note.Via + ":" + note.Text);
                return note;
            }
        }
        """;

    public const string RateLimits = Usings + """
        namespace Samples;

        [ServerEndpoint("/limited", RateLimitPolicy = "per-session")]
        public sealed class RateLimitedEndpoint
        {
            public static readonly List<string> Calls = new();

            [OnMessage(RateLimitPolicy = "chat")]
            public string Line(string line)
            {
                Calls.Add("Line:" + line);
                return line;
            }

            [OnMessage(RateLimitPolicy = "uploads")]
            public void Upload(byte[] data) => Calls.Add("Upload:" + data.Length);

            [OnMessage(RateLimitPolicy = "pongs")]
            public void Pong(PongMessage pong) => Calls.Add("Pong");
        }

        [ClientEndpoint]
        public sealed class LimitedClient
        {
            // Client containers have no rate-limit policies: nothing is emitted for this one.
            [OnMessage(RateLimitPolicy = "chat")]
            public void Line(string line)
            {
            }
        }
        """;
}
