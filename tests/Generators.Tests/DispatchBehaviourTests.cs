using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Generators.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Generators.Tests;

/// <summary>
/// Compiles each endpoint with the generator, loads the assembly, lets its module initializer register the
/// endpoint, and drives the generated dispatcher with a fake session: the user's methods must be called with
/// the converted arguments, and their results must be sent back.
/// </summary>
public sealed class DispatchBehaviourTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task EchoText_CallsTheMethodAndSendsItsResult()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.EchoText));
        var definition = assembly.Definition("Samples.EchoEndpoint");
        Assert.Equal("/echo", definition.Path);
        Assert.False(definition.IsClientEndpoint);
        Assert.Equal(MessageDelivery.Whole, definition.Text);
        Assert.Equal(MessageDelivery.None, definition.Binary);
        Assert.False(definition.HandlesPong);

        var (endpoint, dispatcher) = assembly.Create("Samples.EchoEndpoint");
        Assert.Same(endpoint, dispatcher.Endpoint);
        Assert.False(dispatcher.HasErrorHandler);

        var session = new FakeSession();
        await dispatcher.OnTextAsync(session, "hi", last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Echo:hi"], assembly.Calls("Samples.EchoEndpoint"));
        Assert.Equal(["echo:hi"], session.Sent);
    }

    [Fact]
    public async Task ByteArray_GetsACopyAndANullResultIsNotSent()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.BinaryByteArray));
        Assert.Equal(4096, assembly.Definition("Samples.BytesEndpoint").MaxBinaryMessageSize);
        var (_, dispatcher) = assembly.Create("Samples.BytesEndpoint");
        var session = new FakeSession();
        var incoming = new byte[] { 1, 2, 3 };

        await dispatcher.OnBinaryAsync(session, incoming, last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, ReadOnlyMemory<byte>.Empty, last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(new byte[] { 1, 2, 3 }, incoming);
        Assert.Equal(["Reverse:010203", "Reverse:"], assembly.Calls("Samples.BytesEndpoint"));
        var sent = Assert.Single(session.Sent);
        Assert.Equal(new byte[] { 3, 2, 1 }, Assert.IsType<byte[]>(sent));
    }

    [Fact]
    public async Task ReadOnlyMemoryAndNumberResults_AreSent()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.BinaryReadOnlyMemory));
        var definition = assembly.Definition("Samples.MemoryEndpoint");
        Assert.Equal(65536, definition.MaxBinaryMessageSize);
        Assert.Equal(-1, definition.MaxTextMessageSize);
        var (_, dispatcher) = assembly.Create("Samples.MemoryEndpoint");
        var session = new FakeSession();

        await dispatcher.OnBinaryAsync(session, new byte[] { 0xAB }, last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "four", last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Echo:AB"], assembly.Calls("Samples.MemoryEndpoint"));
        Assert.Equal(new byte[] { 0xAB }, Assert.IsType<byte[]>(session.Sent[0]));
        Assert.Equal("4", session.Sent[1]);
    }

    [Fact]
    public async Task PathParameters_AreConvertedForEveryCallback()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create("Samples.RoomEndpoint");
        var key = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var session = new FakeSession(new Dictionary<string, string>
        {
            ["room"] = "lobby",
            ["id"] = "42",
            ["ratio"] = "0.5",
            ["flag"] = "TRUE",
            ["initial"] = "x",
            ["key"] = key.ToString(),
            ["limit"] = "9000000000",
        });

        await dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "hi", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new InvalidOperationException()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnCloseAsync(session, new CloseReason(CloseCode.GoingAway)).AsTask().WaitAsync(s_timeout);

        Assert.True(dispatcher.HasErrorHandler);
        Assert.Equal(
            [
                $"Open:lobby:42:0.5:True:x:{key}:9000000000:fake",
                "Message:hi:42:True",
                "Error:InvalidOperationException:lobby",
                "Close:1001:lobby:x",
            ],
            assembly.Calls("Samples.RoomEndpoint"));
        Assert.Empty(session.Sent);
    }

    [Theory]
    [InlineData("id", "forty-two")]
    [InlineData("ratio", "one")]
    [InlineData("flag", "yes")]
    [InlineData("initial", "xy")]
    [InlineData("key", "not-a-guid")]
    [InlineData("limit", "")]
    public async Task BadPathParameterValue_ThrowsDecodeException(string name, string value)
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create("Samples.RoomEndpoint");
        var parameters = new Dictionary<string, string>
        {
            ["room"] = "lobby",
            ["id"] = "1",
            ["ratio"] = "1",
            ["flag"] = "false",
            ["initial"] = "x",
            ["key"] = Guid.Empty.ToString(),
            ["limit"] = "1",
        };
        parameters[name] = value;

        var error = await Assert.ThrowsAsync<DecodeException>(
            () => dispatcher.OnOpenAsync(new FakeSession(parameters), new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout));

        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Empty(assembly.Calls("Samples.RoomEndpoint"));
    }

    [Fact]
    public async Task AsyncHandlers_AreAwaitedAndTheirResultsSent()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.AsyncReturns));
        var (_, dispatcher) = assembly.Create("Samples.AsyncEndpoint");
        var session = new FakeSession();

        await dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "abc", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[] { 1, 2, 3 }, last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new InvalidOperationException("boom")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnCloseAsync(session, CloseReason.NormalClosure).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Open:0", "Upper:abc", "Count:3", "Error:boom", "Close"], assembly.Calls("Samples.AsyncEndpoint"));
        Assert.Equal(["ABC", "3"], session.Sent);
    }

    [Fact]
    public async Task Pong_IsDeliveredAndItsResultSentAsText()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Pong));
        Assert.True(assembly.Definition("Samples.PongEndpoint").HandlesPong);
        var (_, dispatcher) = assembly.Create("Samples.PongEndpoint");
        var session = new FakeSession();

        await dispatcher.OnPongAsync(session, new PongMessage(new byte[] { 1, 2 })).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Pong:2"], assembly.Calls("Samples.PongEndpoint"));
        Assert.Equal(["pong 2"], session.Sent);
    }

    [Fact]
    public async Task PartialText_GetsEachPartAndANullableResultIsSentOnlyWithAValue()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PartialText));
        Assert.Equal(MessageDelivery.Partial, assembly.Definition("Samples.PartialTextEndpoint").Text);
        var (_, dispatcher) = assembly.Create("Samples.PartialTextEndpoint");
        var session = new FakeSession();

        await dispatcher.OnTextAsync(session, "a", last: false).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "b", last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Part:a:False", "Part:b:True"], assembly.Calls("Samples.PartialTextEndpoint"));
        Assert.Equal(["true"], session.Sent);
    }

    [Fact]
    public async Task PartialBinary_GetsTheFlagWhereverItIsDeclared()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PartialBinary));
        Assert.Equal(MessageDelivery.Partial, assembly.Definition("Samples.PartialBinaryEndpoint").Binary);
        var (_, dispatcher) = assembly.Create("Samples.PartialBinaryEndpoint");

        await dispatcher.OnBinaryAsync(new FakeSession(), new byte[] { 1, 2 }, last: false).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(new FakeSession(), new byte[] { 3 }, last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Part:2:False", "Part:1:True"], assembly.Calls("Samples.PartialBinaryEndpoint"));
    }

    [Fact]
    public async Task Streams_AreDeliveredToTextReaderAndStreamHandlers()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Streams));
        var definition = assembly.Definition("Samples.StreamEndpoint");
        Assert.Equal(MessageDelivery.Stream, definition.Text);
        Assert.Equal(MessageDelivery.Stream, definition.Binary);
        var (_, dispatcher) = assembly.Create("Samples.StreamEndpoint");
        var session = new FakeSession();

        await dispatcher.OnTextStreamAsync(session, new StringReader("hello")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryStreamAsync(session, new MemoryStream(new byte[7])).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Text:hello", "Binary:7"], assembly.Calls("Samples.StreamEndpoint"));
        Assert.Equal(["5"], session.Sent);
    }

    [Fact]
    public async Task ConstructorInjection_ResolvesTheLongestConstructorFromServices()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.ConstructorInjection));
        using var services = new ServiceCollection()
            .AddSingleton(assembly.GetType("Samples.IGreeter"), assembly.GetType("Samples.Greeter"))
            .AddSingleton(assembly.GetType("Samples.IClock"), assembly.GetType("Samples.FixedClock"))
            .BuildServiceProvider();

        var (endpoint, dispatcher) = assembly.Create("Samples.GreetingEndpoint", services);
        var session = new FakeSession();
        await dispatcher.OnTextAsync(session, "Ada", last: true).AsTask().WaitAsync(s_timeout);

        Assert.NotNull(endpoint.GetType().GetProperty("Clock")!.GetValue(endpoint));
        Assert.Equal(["Hello, Ada"], session.Sent);

        using var empty = new ServiceCollection().BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => assembly.Definition("Samples.GreetingEndpoint").CreateEndpoint(empty));
    }

    [Fact]
    public async Task PositionalRecordEndpoint_IsCreatedThroughItsPrimaryConstructor()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.ConstructorInjection + """

            [ServerEndpoint("/record")]
            public sealed record RecordEndpoint(IGreeter Greeter)
            {
                [OnMessage]
                public string Greet(string name) => Greeter.Greet(name) + "!";
            }
            """));
        using var services = new ServiceCollection()
            .AddSingleton(assembly.GetType("Samples.IGreeter"), assembly.GetType("Samples.Greeter"))
            .BuildServiceProvider();

        var (_, dispatcher) = assembly.Create("Samples.RecordEndpoint", services);
        var session = new FakeSession();
        await dispatcher.OnTextAsync(session, "Bo", last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Hello, Bo!"], session.Sent);
    }

    [Fact]
    public async Task ClientEndpoint_IsRegisteredWithoutAPath()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.ClientEndpoint));
        var definition = assembly.Definition("Samples.Clients.ChatClient");
        Assert.Null(definition.Path);
        Assert.True(definition.IsClientEndpoint);
        Assert.Equal(["chat.v1"], definition.Subprotocols);

        var (_, dispatcher) = assembly.Create("Samples.Clients.ChatClient");
        var session = new FakeSession();
        await dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "hi", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnCloseAsync(session, CloseReason.NormalClosure).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Open", "Message:hi", "Close:1000"], assembly.Calls("Samples.Clients.ChatClient"));
    }

    [Fact]
    public async Task InheritedHandlers_FollowOverrides()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.InheritedHandlers));
        var (_, dispatcher) = assembly.Create("Samples.InheritedEndpoint");
        var session = new FakeSession();

        await dispatcher.OnOpenAsync(session, new FakeEndpointConfig()).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "x", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[3], last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnCloseAsync(session, CloseReason.NormalClosure).AsTask().WaitAsync(s_timeout);

        // The un-annotated override switched [OnOpen] off; the annotated override replaced the base [OnMessage];
        // the inherited binary handler is called as declared, not the endpoint's own Binary(object).
        Assert.Equal(["Derived.Message:x", "Base.Binary:3", "Base.Close"], assembly.Calls("Samples.InheritedEndpoint"));
        Assert.Equal(["derived"], session.Sent);
    }

    [Fact]
    public void SubprotocolsConfiguratorAndSizes_AreRegistered()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.SubprotocolsAndConfigurator));
        var definition = assembly.Definition("Samples.ChatEndpoint");

        Assert.Equal(["chat.v2", "chat.v1", "say \"hi\""], definition.Subprotocols);
        Assert.Equal(assembly.GetType("Samples.ChatConfigurator"), definition.CreateConfigurator!().GetType());
        Assert.Equal(1024, definition.MaxTextMessageSize);
        Assert.Equal(2048, definition.MaxBinaryMessageSize);
        Assert.Equal(MessageDelivery.Whole, definition.Binary);
    }

    [Fact]
    public async Task PrimitiveResults_AreSentAsInvariantText()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PrimitiveResults));
        var (_, dispatcher) = assembly.Create("Samples.NumberEndpoint");
        var session = new FakeSession();

        await dispatcher.OnTextAsync(session, "abc", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, Encoding.ASCII.GetBytes("Zed"), last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnPongAsync(session, new PongMessage(new byte[] { 9 })).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Half:abc", "First:3"], assembly.Calls("Samples.NumberEndpoint"));
        Assert.Equal(["1.5", "Z", "true"], session.Sent);
    }

    [Fact]
    public async Task PrimitiveTextMessages_AreParsedOrRejectedWithDecodeException()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.ParsedTextMessages));
        Assert.Equal(MessageDelivery.Whole, assembly.Definition("Samples.TwiceEndpoint").Text);
        var (_, twice) = assembly.Create("Samples.TwiceEndpoint");
        var (_, not) = assembly.Create("Samples.NotEndpoint");
        var (_, letter) = assembly.Create("Samples.LetterEndpoint");
        var session = new FakeSession();

        await twice.OnTextAsync(session, "-21", last: true).AsTask().WaitAsync(s_timeout);
        await not.OnTextAsync(session, "TRUE", last: true).AsTask().WaitAsync(s_timeout);
        await letter.OnTextAsync(session, "q", last: true).AsTask().WaitAsync(s_timeout);
        var badNumber = await Assert.ThrowsAsync<DecodeException>(() => twice.OnTextAsync(session, "2.5", last: true).AsTask().WaitAsync(s_timeout));
        await Assert.ThrowsAsync<DecodeException>(() => not.OnTextAsync(session, "yes", last: true).AsTask().WaitAsync(s_timeout));
        await Assert.ThrowsAsync<DecodeException>(() => letter.OnTextAsync(session, "qq", last: true).AsTask().WaitAsync(s_timeout));

        Assert.Equal("2.5", badNumber.Text);
        Assert.Equal(["Twice:-21"], assembly.Calls("Samples.TwiceEndpoint"));
        Assert.Equal(["Not:True"], assembly.Calls("Samples.NotEndpoint"));
        Assert.Equal(["Letter:q"], assembly.Calls("Samples.LetterEndpoint"));
        Assert.Equal(["-42", "false"], session.Sent);
    }

    [Fact]
    public async Task HandlerExceptions_AreNotCaughtByTheDispatcher()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters));
        var (_, dispatcher) = assembly.Create("Samples.RoomEndpoint");

        // No "id" variable at all: the converter throws, and the exception reaches the caller (the session).
        await Assert.ThrowsAsync<DecodeException>(
            () => dispatcher.OnTextAsync(new FakeSession(), "hi", last: true).AsTask().WaitAsync(s_timeout));
    }

    [Fact]
    public async Task Coders_DecodeInOrderEncodeResultsAndWrapFailures()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Coders));
        var definition = assembly.Definition("Samples.OrderEndpoint");
        Assert.Equal(MessageDelivery.Whole, definition.Text);
        Assert.Equal(MessageDelivery.Whole, definition.Binary);
        var events = (List<string>)assembly.GetType("Samples.RecordingCoder").GetField("Events")!.GetValue(null)!;
        var (_, dispatcher) = assembly.Create("Samples.OrderEndpoint");
        var session = new FakeSession();

        dispatcher.InitializeCoders(new FakeEndpointConfig());
        Assert.Equal(
            ["Init:OrderDecoder", "Init:FallbackOrderDecoder", "Init:PointDecoder", "Init:ReceiptEncoder", "Init:PointEncoder"],
            events);

        // The text decoder takes its own format; the stream decoder after it gets the rest as a whole message.
        await dispatcher.OnTextAsync(session, "order:tea:2", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "coffee", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnTextAsync(session, "order:none:0", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[] { 1, 7 }, last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Place:teax2", "Place:coffeex1", "Place:nonex0", "Move:1,7"], assembly.Calls("Samples.OrderEndpoint"));
        Assert.Equal(3, session.Sent.Count);
        Assert.Equal("receipt:tea", session.Sent[0]);
        Assert.Equal("receipt:coffee", session.Sent[1]);
        Assert.Equal(new byte[] { 2, 7 }, Assert.IsType<byte[]>(session.Sent[2]));

        // A decoder's own exception is wrapped; no willing decoder is a DecodeException with the bytes.
        var failed = await Assert.ThrowsAsync<DecodeException>(() => dispatcher.OnTextAsync(session, "boom", last: true).AsTask().WaitAsync(s_timeout));
        Assert.Equal("boom", failed.Text);
        Assert.IsType<InvalidOperationException>(failed.InnerException);
        var refused = await Assert.ThrowsAsync<DecodeException>(() => dispatcher.OnBinaryAsync(session, new byte[] { 1 }, last: true).AsTask().WaitAsync(s_timeout));
        Assert.Equal("No decoder of Samples.OrderEndpoint accepted the message for Samples.Point.", refused.Message);

        // The error handler takes DecodeException only; the session logs the others.
        Assert.True(dispatcher.HandlesError(failed));
        Assert.False(dispatcher.HandlesError(new InvalidOperationException("other")));
        await dispatcher.OnErrorAsync(session, failed).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new InvalidOperationException("other")).AsTask().WaitAsync(s_timeout);
        Assert.Equal("Error:" + failed.Message, assembly.Calls("Samples.OrderEndpoint")[^1]);

        // TrySendObjectAsync: encoders in declaration order, false for other types, encoder failures wrapped.
        var receipt = Activator.CreateInstance(assembly.GetType("Samples.Receipt"), "fail")!;
        var encodeFailure = await Assert.ThrowsAsync<EncodeException>(() => dispatcher.TrySendObjectAsync(session.BasicRemote, receipt, default).AsTask().WaitAsync(s_timeout));
        Assert.IsType<FormatException>(encodeFailure.InnerException);
        Assert.False(await dispatcher.TrySendObjectAsync(session.BasicRemote, "plain", default).AsTask().WaitAsync(s_timeout));

        dispatcher.DestroyCoders();
        Assert.Equal("Destroy:PointEncoder", events[^1]);
        Assert.Equal(10, events.Count);
    }

    [Fact]
    public async Task StreamDecoders_ReadTheStreamAndStreamEncodersWriteIntoTheMessage()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.StreamDecoders));
        var definition = assembly.Definition("Samples.WordsClient");
        Assert.Equal(MessageDelivery.Stream, definition.Text);
        Assert.Equal(MessageDelivery.Stream, definition.Binary);
        var (_, dispatcher) = assembly.Create("Samples.WordsClient");
        var session = new FakeSession();
        dispatcher.InitializeCoders(new FakeEndpointConfig());

        await dispatcher.OnTextStreamAsync(session, new StringReader("pear apple fig")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryStreamAsync(session, new MemoryStream([1, 2, 3, 250])).AsTask().WaitAsync(s_timeout);
        dispatcher.DestroyCoders();

        Assert.Equal(["Sort:3"], assembly.Calls("Samples.WordsClient"));
        Assert.Equal(["apple,fig,pear", "256"], session.Sent);
    }

    [Fact]
    public async Task DecodersToTextReaderAndStream_WinOverTheBuiltInStreams()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.DecodersToReaderAndStream));
        var definition = assembly.Definition("Samples.ReaderEndpoint");
        Assert.Equal(MessageDelivery.Stream, definition.Text);    // the developer's stream decoder reads the message
        Assert.Equal(MessageDelivery.Whole, definition.Binary);   // the developer's whole-message decoder, not a built-in stream
        var (_, dispatcher) = assembly.Create("Samples.ReaderEndpoint");
        var session = new FakeSession();
        dispatcher.InitializeCoders(new FakeEndpointConfig());

        await dispatcher.OnTextStreamAsync(session, new StringReader("quiet")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[] { 1, 2, 3 }, last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["QUIET", "first:3"], session.Sent);
    }

    [Fact]
    public async Task DerivedErrorHandler_IsCalledOnlyForThatTypeAndNullResultsAreNotSent()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.DerivedErrorAndNullableResults));
        var (_, dispatcher) = assembly.Create("Samples.NullableEndpoint");
        var session = new FakeSession();

        await dispatcher.OnTextAsync(session, "2.5", last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, ReadOnlyMemory<byte>.Empty, last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[] { 9, 9 }, last: true).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new ArgumentException("ignored")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnErrorAsync(session, new InvalidOperationException("handled")).AsTask().WaitAsync(s_timeout);

        Assert.Equal("got:2.5", session.Sent[0]);
        Assert.Equal(new byte[] { 2 }, Assert.IsType<byte[]>(session.Sent[1]));
        Assert.Equal(2, session.Sent.Count);
        Assert.Equal(["Error:handled"], assembly.Calls("Samples.NullableEndpoint"));
    }

    [Fact]
    public void HandlesError_IsWhatTheErrorHandlersParameterAccepts()
    {
        // Narrowed to InvalidOperationException: that type and types derived from it, nothing else (the session logs
        // those as unhandled instead of calling OnErrorAsync, which would drop them).
        var (_, narrowed) = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.DerivedErrorAndNullableResults)).Create("Samples.NullableEndpoint");
        Assert.True(narrowed.HasErrorHandler);
        Assert.True(narrowed.HandlesError(new InvalidOperationException()));
        Assert.True(narrowed.HandlesError(new ObjectDisposedException("derived")));
        Assert.False(narrowed.HandlesError(new ArgumentException()));
        Assert.False(narrowed.HandlesError(new Exception()));

        // Exception itself: every error.
        var (_, general) = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.PathParameters)).Create("Samples.RoomEndpoint");
        Assert.True(general.HandlesError(new ArgumentException()));
        Assert.True(general.HandlesError(new Exception()));

        // No [OnError] method: none.
        var (_, none) = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.EchoText)).Create("Samples.EchoEndpoint");
        Assert.False(none.HandlesError(new InvalidOperationException()));
    }

    [Fact]
    public async Task Utf8Text_GetsTheMessageBytesAndItsResultIsSentAsText()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Utf8TextEcho));
        var definition = assembly.Definition("Samples.Utf8EchoEndpoint");
        Assert.Equal(MessageDelivery.Whole, definition.Text);
        Assert.True(definition.TextAsUtf8);
        Assert.False(LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.EchoText)).Definition("Samples.EchoEndpoint").TextAsUtf8);

        var (_, dispatcher) = assembly.Create("Samples.Utf8EchoEndpoint");
        var session = new FakeSession();
        var bytes = Encoding.UTF8.GetBytes("h\u00e9llo \u20ac \U0001F600");

        await dispatcher.OnUtf8TextAsync(session, new Utf8Text(bytes)).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnUtf8TextAsync(session, Utf8Text.Empty).AsTask().WaitAsync(s_timeout);

        // Two-, three- and four-byte sequences arrive as they are, and the struct result is sent even when empty.
        Assert.Equal(["Echo:" + Convert.ToHexString(bytes), "Echo:"], assembly.Calls("Samples.Utf8EchoEndpoint"));
        Assert.Equal(["h\u00e9llo \u20ac \U0001F600", string.Empty], session.Sent);
    }

    [Fact]
    public async Task Utf8Text_AwaitedWithPathParameterAndSession_AndOnAClientEndpoint()
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(EndpointSources.Utf8TextAsyncAndClient));
        var server = assembly.Definition("Samples.Utf8RelayEndpoint");
        Assert.True(server.TextAsUtf8);
        Assert.Equal(1024, server.MaxTextMessageSize);
        Assert.Equal(MessageDelivery.Whole, server.Binary);
        var bytes = Encoding.UTF8.GetBytes("\u00fcn\u00ef");

        var (_, dispatcher) = assembly.Create("Samples.Utf8RelayEndpoint");
        var session = new FakeSession(new Dictionary<string, string> { ["room"] = "lobby" });
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text(bytes)).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnBinaryAsync(session, new byte[] { 1, 2 }, last: true).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Relay:lobby:" + Convert.ToHexString(bytes) + ":fake", "Binary:2"], assembly.Calls("Samples.Utf8RelayEndpoint"));
        Assert.Equal(["lobby>\u00fcn\u00ef"], session.Sent);

        var client = assembly.Definition("Samples.Utf8Client");
        Assert.True(client.IsClientEndpoint);
        Assert.True(client.TextAsUtf8);
        var (_, clientDispatcher) = assembly.Create("Samples.Utf8Client");
        var clientSession = new FakeSession();
        await clientDispatcher.OnUtf8TextAsync(clientSession, new Utf8Text(bytes)).AsTask().WaitAsync(s_timeout);

        Assert.Equal(["Answer:" + bytes.Length], assembly.Calls("Samples.Utf8Client"));
        Assert.Equal([string.Empty], clientSession.Sent);
    }

    [Fact]
    public async Task Utf8JsonCoder_DecodesTheBytesAndSendsTheEncodedBytesAsText()
    {
        var (assembly, dispatcher) = CreateUtf8TextEndpoint(EndpointSources.Utf8JsonCoder, "Samples.JsonOrderEndpoint");
        var session = new FakeSession();

        // The coder also implements ITextDecoder and ITextEncoder; the UTF-8 pair is the one called.
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text("""{"Item":"tea","Count":2}""")).AsTask().WaitAsync(s_timeout);
        Assert.Equal(["Place:teax2"], assembly.Calls("Samples.JsonOrderEndpoint"));
        Assert.Equal(["""{"Item":"tea","Count":4}"""], session.Sent);

        // The coder's own DecodeException passes through; no willing decoder is one with the message as a string.
        var invalid = await Assert.ThrowsAsync<DecodeException>(() => dispatcher.OnUtf8TextAsync(session, new Utf8Text("{oops")).AsTask().WaitAsync(s_timeout));
        Assert.Equal("{oops", invalid.Text);
        var refused = await Assert.ThrowsAsync<DecodeException>(() => dispatcher.OnUtf8TextAsync(session, new Utf8Text("pl\u00e4in")).AsTask().WaitAsync(s_timeout));
        Assert.Equal("pl\u00e4in", refused.Text);
        Assert.Equal("No decoder of Samples.JsonOrderEndpoint accepted the message for Samples.Order.", refused.Message);
        dispatcher.DestroyCoders();
    }

    [Fact]
    public async Task Utf8DecoderChain_GivesTheBytesToUtf8DecodersAndOneStringToTheOthers()
    {
        var (assembly, dispatcher) = CreateUtf8TextEndpoint(EndpointSources.Utf8DecoderChain, "Samples.NoteEndpoint");
        var inputs = (List<object>)assembly.GetType("Samples.Seen").GetField("Inputs")!.GetValue(null)!;
        var session = new FakeSession();

        // The UTF-8 decoder gets the exact bytes and takes the message: no string is made.
        var bytes = Encoding.UTF8.GetBytes("u:h\u00e9 \U0001F600");
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text(bytes)).AsTask().WaitAsync(s_timeout);
        Assert.Equal(bytes, Assert.IsType<byte[]>(Assert.Single(inputs)));

        // Refused by it, the message is decoded to a string once, which both string decoders get.
        inputs.Clear();
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text("t:x\u00e9")).AsTask().WaitAsync(s_timeout);
        Assert.Equal(4, inputs.Count);
        Assert.Equal(Encoding.UTF8.GetBytes("t:x\u00e9"), Assert.IsType<byte[]>(inputs[0]));
        var decoded = Assert.IsType<string>(inputs[1]);
        Assert.Equal("t:x\u00e9", decoded);
        Assert.Same(decoded, inputs[2]);
        Assert.Same(decoded, inputs[3]);

        // The stream decoder ending the chain reads that string; results go out through the UTF-8 encoder as text.
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text("s:one")).AsTask().WaitAsync(s_timeout);
        await dispatcher.OnUtf8TextAsync(session, new Utf8Text("\u20ac rest")).AsTask().WaitAsync(s_timeout);
        Assert.Equal(
            ["Post:utf8:h\u00e9 \U0001F600", "Post:tagged:x\u00e9", "Post:string:one", "Post:reader:\u20ac rest"],
            assembly.Calls("Samples.NoteEndpoint"));
        Assert.Equal(["utf8>h\u00e9 \U0001F600", "tagged>x\u00e9", "string>one", "reader>\u20ac rest"], session.Sent);

        // A UTF-8 decoder's own exception is wrapped with the message as a string.
        var failed = await Assert.ThrowsAsync<DecodeException>(() => dispatcher.OnUtf8TextAsync(session, new Utf8Text("u:boom")).AsTask().WaitAsync(s_timeout));
        Assert.Equal("u:boom", failed.Text);
        Assert.IsType<InvalidOperationException>(failed.InnerException);
        Assert.StartsWith("A decoder of Samples.NoteEndpoint failed to decode the message for Samples.Note: bad note", failed.Message, StringComparison.Ordinal);

        // The UTF-8 encoder's failure is wrapped like a string encoder's.
        var note = Activator.CreateInstance(assembly.GetType("Samples.Note"), "fail", "test")!;
        var encodeFailure = await Assert.ThrowsAsync<EncodeException>(() => dispatcher.TrySendObjectAsync(session.BasicRemote, note, default).AsTask().WaitAsync(s_timeout));
        Assert.IsType<FormatException>(encodeFailure.InnerException);
        Assert.Same(note, encodeFailure.Value);
        dispatcher.DestroyCoders();
    }

    /// <summary>
    /// Compiles and loads <paramref name="source"/>, checks that <paramref name="endpointType"/> takes whole text
    /// messages as their UTF-8 bytes, and creates its dispatcher with the coders initialised.
    /// </summary>
    private static (LoadedAssembly Assembly, EndpointDispatcher Dispatcher) CreateUtf8TextEndpoint(string source, string endpointType)
    {
        var assembly = LoadedAssembly.Load(GeneratorHarness.Run(source));
        var definition = assembly.Definition(endpointType);
        Assert.Equal(MessageDelivery.Whole, definition.Text);
        Assert.True(definition.TextAsUtf8);
        var (_, dispatcher) = assembly.Create(endpointType);
        dispatcher.InitializeCoders(new FakeEndpointConfig());
        return (assembly, dispatcher);
    }
}
