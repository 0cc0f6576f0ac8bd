using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Integration.Tests.Coders;

/// <summary>
/// Coders of programmatic endpoints (EndpointCoders in a ServerEndpointConfig) over Kestrel: decoded message handlers,
/// SendObjectAsync through the configuration's encoders, DecodeException and EncodeException to OnError, the coders'
/// lifecycle, a developer's decoder to TextReader, and the configurations that are not deployed.
/// </summary>
public class ProgrammaticCoderTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private KestrelHost _host = null!;

    private static EndpointCoders OrderDeskCoders() => new EndpointCoders()
        .AddDecoder<OrderJson, Order>()
        .AddDecoder<RefusingPointDecoder, Point>(_ => new RefusingPointDecoder())
        .AddDecoder<PointDecoder, Point>()
        .AddEncoder<OrderJson, Order>()
        .AddEncoder<PointStreamEncoder, Point>(_ => new PointStreamEncoder())
        .AddEncoder<ExplosiveEncoder, Explosive>();

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync(
        services: services => services.AddSingleton<CoderJournal>(),
        map: app =>
        {
            var container = app.Services.GetRequiredService<IServerContainer>();
            container.AddEndpoint(new ServerEndpointConfig(typeof(OrderDeskEndpoint), "/it/order-desk/{test}", _ => new OrderDeskEndpoint()) { Coders = OrderDeskCoders() });
            container.AddEndpoint(new ServerEndpointConfig(typeof(ReaderDeskEndpoint), "/it/reader-desk", _ => new ReaderDeskEndpoint())
            {
                Coders = new EndpointCoders().AddDecoder<ShoutingReaderDecoder, TextReader>(),
            });
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_programmatic_endpoint_decodes_with_its_configs_decoders_and_sends_with_its_encoders()
    {
        var test = Recorder.NewTestId();
        var refusals = Volatile.Read(ref RefusingPointDecoder.Asked);
        using var client = await _host.ConnectAsync($"/it/order-desk/{test}");

        await client.SendTextAsync("""{"Item":"tea","Quantity":2}""");
        Assert.Equal("""{"Item":"tea","Quantity":3}""", await client.ReceiveTextAsync());   // OrderJson, the UTF-8 encoder
        Assert.Equal("order:tea:2", await Recorder.For(test).WaitForAsync("order:"));

        var point = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(point, 1);
        BinaryPrimitives.WriteInt32BigEndian(point.AsSpan(4), 2);
        await client.SendBinaryAsync(point);
        var (type, data) = await client.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal("10;2", Encoding.ASCII.GetString(data));   // the stream encoder wrote the message
        Assert.True(Volatile.Read(ref RefusingPointDecoder.Asked) > refusals, "the first decoder's WillDecode was asked first");

        // The configuration the endpoint sees lists the coders' types, in registration order.
        Assert.Equal("open:OrderJson,RefusingPointDecoder,PointDecoder", await Recorder.For(test).WaitForAsync("open:"));
    }

    [Fact]
    public async Task Undecodable_messages_reach_OnError_as_DecodeException_and_the_session_stays_open()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/order-desk/{test}");

        await client.SendTextAsync("{not json");
        Assert.StartsWith("error:DecodeException:", await Recorder.For(test).WaitForAsync("error:"));

        await client.SendBinaryAsync([1, 2, 3]);   // no decoder's WillDecode takes three bytes
        Assert.Equal("undecodable-bytes:010203", await Recorder.For(test).WaitForAsync("undecodable-bytes:"));

        await client.SendTextAsync("""{"Item":"ok","Quantity":0}""");
        Assert.Equal("""{"Item":"ok","Quantity":1}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_encoder_that_fails_reaches_OnError_as_EncodeException_and_the_session_stays_open()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/order-desk/{test}");

        await client.SendTextAsync("""{"Item":"explode","Quantity":0}""");
        Assert.Equal("error:EncodeException:FormatException", await Recorder.For(test).WaitForAsync("error:"));

        await client.SendTextAsync("""{"Item":"after","Quantity":0}""");
        Assert.Equal("""{"Item":"after","Quantity":1}""", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task Coders_are_made_per_session_from_DI_initialised_before_OnOpen_and_destroyed_after_the_close()
    {
        var journal = _host.App.Services.GetRequiredService<CoderJournal>();
        var test = Recorder.NewTestId();
        using (var client = await _host.ConnectAsync($"/it/order-desk/{test}"))
        {
            await Recorder.For(test).WaitForAsync("open:");
            Assert.Equal(1, journal.Inits);   // the deployment's trial instance is not initialised
            Assert.Equal(0, journal.Destroys);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(s_timeout);
        }

        await journal.Destroyed.WaitAsync(s_timeout);
        Assert.Equal(1, journal.Destroys);
    }

    [Theory]
    [InlineData("/it/reader-desk")]         // programmatic: AddMessageHandler<TextReader> with a decoder to TextReader
    [InlineData("/it/annotated-reader")]    // annotated: [OnMessage] TextReader with a decoder to TextReader
    public async Task A_developers_decoder_to_TextReader_wins_over_the_built_in_stream(string path)
    {
        using var client = await _host.ConnectAsync(path);

        await client.SendTextAsync("quiet please");

        Assert.Equal("QUIET PLEASE", await client.ReceiveTextAsync());
    }

    [Fact]
    public void A_config_whose_coder_cannot_be_created_or_whose_decoded_types_collide_is_not_deployed()
    {
        var container = _host.App.Services.GetRequiredService<IServerContainer>();

        var uncreatable = Assert.Throws<DeploymentException>(() => container.AddEndpoint(
            new ServerEndpointConfig(typeof(OrderDeskEndpoint), "/it/uncreatable", _ => new OrderDeskEndpoint())
            {
                Coders = new EndpointCoders().AddDecoder<UnresolvableDecoder, Order>(),
            }));
        Assert.Contains(typeof(OrderDeskEndpoint).FullName!, uncreatable.Message, StringComparison.Ordinal);
        Assert.Contains("ServerEndpointConfig at '/it/uncreatable'", uncreatable.Message, StringComparison.Ordinal);
        Assert.Contains($"decoder '{typeof(UnresolvableDecoder).FullName}' cannot be created", uncreatable.Message, StringComparison.Ordinal);

        var failingFactory = Assert.Throws<DeploymentException>(() => container.AddEndpoint(
            new ServerEndpointConfig(typeof(OrderDeskEndpoint), "/it/failing-factory", _ => new OrderDeskEndpoint())
            {
                Coders = new EndpointCoders().AddEncoder<OrderJson, Order>(_ => throw new InvalidOperationException("no JSON today")),
            }));
        Assert.Contains($"encoder '{typeof(OrderJson).FullName}' cannot be created: no JSON today", failingFactory.Message, StringComparison.Ordinal);

        var collision = Assert.Throws<DeploymentException>(() => container.AddEndpoint(
            new ServerEndpointConfig(typeof(OrderDeskEndpoint), "/it/collision", _ => new OrderDeskEndpoint())
            {
                Coders = new EndpointCoders().AddDecoder<OrderJson, Order>().AddDecoder<BinaryOrderDecoder, Order>(),
            }));
        Assert.Contains("ServerEndpointConfig at '/it/collision'", collision.Message, StringComparison.Ordinal);
        Assert.Contains($"'{typeof(OrderJson).FullName}' (text) and '{typeof(BinaryOrderDecoder).FullName}' (binary) both decode '{typeof(Order).FullName}'", collision.Message, StringComparison.Ordinal);

        // An annotated endpoint's coders are its attribute's: coders in its configuration would be silently unused.
        var annotated = Assert.Throws<DeploymentException>(() => container.AddEndpoint(
            new ServerEndpointConfig(typeof(AnnotatedReaderEndpoint), "/it/annotated-with-coders") { Coders = new EndpointCoders().AddDecoder<OrderJson, Order>() }));
        Assert.Contains("only a programmatic endpoint", annotated.Message, StringComparison.Ordinal);

        // None of them took its path.
        container.AddEndpoint(new ServerEndpointConfig(typeof(OrderDeskEndpoint), "/it/collision", _ => new OrderDeskEndpoint()) { Coders = OrderDeskCoders() });
    }
}
