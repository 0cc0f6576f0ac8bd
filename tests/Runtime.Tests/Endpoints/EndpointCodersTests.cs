using System.Text;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Endpoints;

/// <summary>
/// EndpointCoders: what a registration accepts, what the configurations report, and the per-session decoding and
/// encoding of a programmatic endpoint's dispatcher (decoders in order with WillDecode, failures as DecodeException and
/// EncodeException, Init and Destroy once per instance).
/// </summary>
public sealed class EndpointCodersTests
{
    [Fact]
    public void A_coder_of_no_interface_of_the_type_is_refused_when_registered()
    {
        var coders = new EndpointCoders();

        var decoder = Assert.Throws<ArgumentException>(() => coders.AddDecoder<NumberEncoder, int>(_ => new NumberEncoder([])));
        Assert.Contains($"'{typeof(NumberEncoder).FullName}' is no decoder of 'System.Int32'", decoder.Message, StringComparison.Ordinal);
        var encoder = Assert.Throws<ArgumentException>(() => coders.AddEncoder<NumberDecoder, string>(_ => new NumberDecoder("n", [], willDecode: true)));
        Assert.Contains("is no encoder of 'System.String'", encoder.Message, StringComparison.Ordinal);
        Assert.True(coders.IsEmpty);
    }

    [Fact]
    public void The_configs_list_the_coder_types_in_registration_order_and_a_connections_copy_keeps_them()
    {
        var coders = new EndpointCoders()
            .AddDecoder<NumberDecoder, int>(_ => new NumberDecoder("a", [], willDecode: false))
            .AddDecoder<WordsReaderDecoder, TextReader>()
            .AddEncoder<NumberEncoder, int>(_ => new NumberEncoder([]));
        var server = new ServerEndpointConfig(typeof(NoopEndpoint), "/coded", _ => new NoopEndpoint()) { Coders = coders };
        var client = ClientEndpointConfig.CreateBuilder().WithCoders(coders).Build();

        Assert.Equal([typeof(NumberDecoder), typeof(WordsReaderDecoder)], server.Decoders);
        Assert.Equal([typeof(NumberEncoder)], server.Encoders);
        Assert.Same(coders, server.ForConnection().Coders);
        Assert.Equal(server.Decoders, server.ForConnection().Decoders);
        Assert.Equal([typeof(NumberDecoder), typeof(WordsReaderDecoder)], client.Decoders);
        Assert.Same(coders, client.Coders);
    }

    [Fact]
    public void Deployment_finds_each_problem_once_and_then_the_coders_cannot_change()
    {
        var coders = new EndpointCoders()
            .AddDecoder<NumberDecoder, int>(_ => throw new InvalidOperationException("no numbers"))
            .AddDecoder<BinaryNumberDecoder, int>(_ => new BinaryNumberDecoder());

        var problems = coders.Check(EmptyServiceProvider.Instance);

        Assert.Equal(2, problems.Count);
        Assert.Equal($"the decoder '{typeof(NumberDecoder).FullName}' cannot be created: no numbers", problems[0]);
        Assert.StartsWith($"the decoders '{typeof(NumberDecoder).FullName}' (text) and '{typeof(BinaryNumberDecoder).FullName}' (binary) both decode 'System.Int32'", problems[1], StringComparison.Ordinal);
        Assert.Same(problems, coders.Check(EmptyServiceProvider.Instance));
        Assert.Throws<InvalidOperationException>(() => coders.AddEncoder<NumberEncoder, int>(_ => new NumberEncoder([])));
    }

    [Fact]
    public async Task A_client_config_whose_decoded_types_collide_is_refused_before_the_handshake()
    {
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithCoders(new EndpointCoders()
                .AddDecoder<NumberDecoder, int>(_ => new NumberDecoder("a", [], willDecode: true))
                .AddDecoder<BinaryNumberDecoder, int>(_ => new BinaryNumberDecoder()))
            .Build();

        // Port 1: nothing listens there; the refusal comes before any connection is tried.
        var refused = await Assert.ThrowsAsync<DeploymentException>(() => container.ConnectToServerAsync(new NoopEndpoint(), config, new Uri("ws://127.0.0.1:1/never")));

        Assert.StartsWith($"the ClientEndpointConfig of '{typeof(NoopEndpoint).FullName}': the decoders", refused.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(BinaryNumberDecoder).FullName!, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decoders_are_tried_in_order_with_WillDecode_and_failures_are_DecodeExceptions()
    {
        var log = new List<string>();
        var dispatcher = Initialized(
            new EndpointCoders()
                .AddDecoder<NumberDecoder, int>(_ => new NumberDecoder("first", log, willDecode: false))
                .AddDecoder<NumberDecoder, int>(_ => new NumberDecoder("second", log, willDecode: true)));
        var received = new List<int>();

        var handler = dispatcher.CreateDecodingHandler<int>(value =>
        {
            received.Add(value);
            return default;
        })!;
        await handler.OnText!("42", true);

        Assert.Equal([42], received);
        Assert.Equal(["init:first", "init:second", "will:first", "will:second", "decode:second"], log);
        var failure = await Assert.ThrowsAsync<DecodeException>(() => handler.OnText!("x", true).AsTask());
        Assert.Equal("x", failure.Text);
        Assert.IsType<FormatException>(failure.InnerException);
        Assert.Contains(typeof(NumberDecoder).FullName!, failure.Message, StringComparison.Ordinal);

        dispatcher.DestroyCoders();
        Assert.Equal(["destroy:first", "destroy:second"], log[^2..]);
    }

    [Fact]
    public void Native_types_keep_the_built_in_delivery_and_a_type_of_both_kinds_is_refused()
    {
        var dispatcher = Initialized(
            new EndpointCoders()
                .AddDecoder<NumberDecoder, int>(_ => new NumberDecoder("a", [], willDecode: true))
                .AddDecoder<WordsReaderDecoder, TextReader>()
                .AddDecoder<BytesDecoder, byte[]>(_ => new BytesDecoder()));

        Assert.Null(dispatcher.CreateDecodingHandler<string>(_ => default));   // the built-in string delivery
        Assert.Null(dispatcher.CreateDecodingHandler<byte[]>(_ => default));   // likewise byte[]
        Assert.Null(dispatcher.CreateDecodingHandler<Guid>(_ => default));     // no decoder makes one: MessageHandler.Whole refuses it
        var reader = dispatcher.CreateDecodingHandler<TextReader>(_ => default)!;   // a decoder to TextReader wins
        Assert.Equal(MessageDelivery.Stream, reader.Delivery);
        Assert.NotNull(reader.OnTextStream);
        var both = Assert.Throws<ArgumentException>(() => dispatcher.CreateDecodingHandler<object>(_ => default));
        Assert.Contains("text messages", both.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendObject_uses_the_first_encoder_of_the_values_type_and_wraps_its_failure()
    {
        var log = new List<string>();
        var dispatcher = Initialized(new EndpointCoders().AddEncoder<NumberEncoder, int>(_ => new NumberEncoder(log)));

        var prepared = await dispatcher.TryEncodeObjectAsync(7);
        Assert.Equal("#7", Encoding.UTF8.GetString(prepared!.Payload.Span));
        Assert.Null(await dispatcher.TryEncodeObjectAsync("not an int"));

        var failure = await Assert.ThrowsAsync<EncodeException>(() => dispatcher.TryEncodeObjectAsync(-1).AsTask());
        Assert.Equal(-1, failure.Value);
        Assert.IsType<ArgumentOutOfRangeException>(failure.InnerException);
    }

    private static ProgrammaticDispatcher Initialized(EndpointCoders coders)
    {
        var dispatcher = new ProgrammaticDispatcher(new NoopEndpoint());
        dispatcher.InitializeCoders(new ServerEndpointConfig(typeof(NoopEndpoint), "/coded", _ => new NoopEndpoint()) { Coders = coders });
        return dispatcher;
    }

    private sealed class NoopEndpoint : Endpoint
    {
        public override Task OnOpen(WebSocketSession session, EndpointConfig config) => Task.CompletedTask;
    }

    private sealed class NumberDecoder(string name, List<string> log, bool willDecode) : ITextDecoder<int>
    {
        public void Init(EndpointConfig config) => log.Add($"init:{name}");

        public void Destroy() => log.Add($"destroy:{name}");

        public bool WillDecode(string text)
        {
            log.Add($"will:{name}");
            return willDecode;
        }

        public int Decode(string text)
        {
            log.Add($"decode:{name}");
            return int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private sealed class BinaryNumberDecoder : IBinaryDecoder<int>
    {
        public bool WillDecode(ReadOnlyMemory<byte> data) => true;

        public int Decode(ReadOnlyMemory<byte> data) => data.Length;
    }

    private sealed class BytesDecoder : IBinaryDecoder<byte[]>
    {
        public bool WillDecode(ReadOnlyMemory<byte> data) => true;

        public byte[] Decode(ReadOnlyMemory<byte> data) => data.ToArray();
    }

    private sealed class WordsReaderDecoder : ITextStreamDecoder<TextReader>
    {
        public async ValueTask<TextReader> DecodeAsync(TextReader reader) => new StringReader(await reader.ReadToEndAsync());
    }

    private sealed class NumberEncoder(List<string> log) : ITextEncoder<int>
    {
        public void Init(EndpointConfig config) => log.Add("init:encoder");

        public string Encode(int value) => value >= 0 ? $"#{value}" : throw new ArgumentOutOfRangeException(nameof(value));
    }
}
