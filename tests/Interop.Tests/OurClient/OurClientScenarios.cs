using System.Text;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.OurClient;

/// <summary>
/// What our client (WebSocketContainer, the generated dispatcher of a [ClientEndpoint], our engine in the client
/// role) must do against an independent server; each peer's test class runs every scenario.
/// </summary>
internal static class OurClientScenarios
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(15);

    public static async Task TextAndBinaryRoundTripAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, [], deflate: false);
        await using var container = WebSocketContainer.Create();
        var endpoint = new WholeMessageClient();
        var session = await container.ConnectToServerAsync(endpoint, server.EchoUri).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync("héllo ✓ 🌍").WaitAsync(s_timeout);
        Assert.Equal("text:héllo ✓ 🌍", await endpoint.Events.WaitForAsync("text:"));

        var large = string.Concat(Enumerable.Range(0, 30_000).Select(i => (char)('a' + (i % 26)) + "ü"));
        await session.BasicRemote.SendTextAsync(large).WaitAsync(s_timeout);
        await endpoint.Events.WaitForAsync($"text:{large}");

        var binary = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray();
        await session.BasicRemote.SendBinaryAsync(binary).WaitAsync(s_timeout);
        Assert.Equal($"binary:{Convert.ToHexString(binary)}", await endpoint.Events.WaitForAsync("binary:"));

        await session.BasicRemote.SendBinaryAsync(ReadOnlyMemory<byte>.Empty).WaitAsync(s_timeout);
        await session.CloseAsync().WaitAsync(s_timeout);
        Assert.Equal("close:1000:", await endpoint.Events.WaitForAsync("close:"));
        Assert.DoesNotContain(endpoint.Events.Entries, e => e.StartsWith("error:", StringComparison.Ordinal));
        Assert.True(string.IsNullOrEmpty(server.Errors), server.Errors);
    }

    /// <summary>
    /// A programmatic client endpoint whose ClientEndpointConfig lists coders: SendObjectAsync writes through its
    /// encoders, the peer echoes the bytes, and its message handlers of decoded types get them back; text nobody can
    /// decode reaches OnError as a DecodeException; the coders are made per session and destroyed after the close.
    /// </summary>
    public static async Task ProgrammaticEndpointCodersRoundTripAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, [], deflate: false);
        await using var container = WebSocketContainer.Create();
        var endpoint = new CodedClient();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithCoders(new EndpointCoders()
                .AddDecoder<ReadingCoder, Reading>()
                .AddDecoder<SampleCoder, Sample>(_ => new SampleCoder(endpoint.Events))
                .AddEncoder<ReadingCoder, Reading>()
                .AddEncoder<SampleCoder, Sample>(_ => new SampleCoder(endpoint.Events)))
            .Build();
        Assert.Equal([typeof(ReadingCoder), typeof(SampleCoder)], config.Decoders);

        var session = await container.ConnectToServerAsync(endpoint, config, server.EchoUri).WaitAsync(s_timeout);
        Assert.Equal("open:ReadingCoder,SampleCoder", await endpoint.Events.WaitForAsync("open:"));
        Assert.Equal(2, endpoint.Events.Entries.Count(static e => e == "init"));   // the decoder's and the encoder's instance

        await session.BasicRemote.SendObjectAsync(new Reading("t1", 21.5)).WaitAsync(s_timeout);
        Assert.Equal("reading:t1:21.5", await endpoint.Events.WaitForAsync("reading:"));

        await session.AsyncRemote.SendObjectAsync(new Sample(3, -2)).WaitAsync(s_timeout);
        Assert.Equal("wire:0003FFFE", await endpoint.Events.WaitForAsync("wire:"));   // the encoder's bytes, echoed
        Assert.Equal("sample:3:-2", await endpoint.Events.WaitForAsync("sample:"));

        await session.BasicRemote.SendTextAsync("not JSON").WaitAsync(s_timeout);
        Assert.Equal("error:DecodeException", await endpoint.Events.WaitForAsync("error:"));
        await session.BasicRemote.SendObjectAsync(new Reading("t2", -1)).WaitAsync(s_timeout);
        Assert.Equal("reading:t2:-1", await endpoint.Events.WaitForAsync("reading:t2"));

        await session.CloseAsync().WaitAsync(s_timeout);
        Assert.Equal("close:1000", await endpoint.Events.WaitForAsync("close:"));
        await endpoint.Events.WaitForCountAsync("destroy", 2);
        Assert.True(string.IsNullOrEmpty(server.Errors), server.Errors);
    }

    public static async Task FragmentedMessagesArriveInPartsAndWholeAsync(PeerKind peer)
    {
        await using var server = await CommandPeerServer.StartAsync(peer, fragmentSize: 1000);
        await using var container = WebSocketContainer.Create();
        var text = string.Concat(Enumerable.Repeat("fragment ü € 🌍 ", 300));   // multi-byte characters across fragment edges
        var binary = Enumerable.Range(0, 4_500).Select(i => (byte)(i * 7)).ToArray();

        // In parts: one call per frame, 'last' only on the final one, and the parts join to the message.
        var partial = new PartialMessageClient();
        var partialSession = await container.ConnectToServerAsync(partial, server.Uri).WaitAsync(s_timeout);
        await partialSession.BasicRemote.SendTextAsync(text).WaitAsync(s_timeout);
        await partial.Events.WaitForAsync("text-part:True:");
        var textParts = partial.Events.Entries.Where(e => e.StartsWith("text-part:", StringComparison.Ordinal)).ToList();
        Assert.True(textParts.Count > 1, $"expected several parts, got {textParts.Count}");
        Assert.All(textParts[..^1], part => Assert.StartsWith("text-part:False:", part, StringComparison.Ordinal));
        Assert.Equal(text, string.Concat(textParts.Select(part => part[(part.IndexOf(':', "text-part:".Length) + 1)..])));

        await partialSession.BasicRemote.SendBinaryAsync(binary).WaitAsync(s_timeout);
        await partial.Events.WaitForAsync("binary-part:True:");
        var binaryParts = partial.Events.Entries.Where(e => e.StartsWith("binary-part:", StringComparison.Ordinal)).ToList();
        // Five frames of data; websockets ends a fragmented message with an empty final frame, which is a sixth part.
        Assert.InRange(binaryParts.Count, 5, 6);
        Assert.Equal(Convert.ToHexString(binary), string.Concat(binaryParts.Select(part => part[(part.IndexOf(':', "binary-part:".Length) + 1)..])));
        await partialSession.CloseAsync().WaitAsync(s_timeout);
        Assert.Equal((1000, ""), server.WaitForClose());

        // Whole: the same fragmented messages are reassembled before the handler sees them.
        var whole = new WholeMessageClient();
        var wholeSession = await container.ConnectToServerAsync(whole, server.Uri).WaitAsync(s_timeout);
        await wholeSession.BasicRemote.SendTextAsync(text).WaitAsync(s_timeout);
        Assert.Equal($"text:{text}", await whole.Events.WaitForAsync("text:"));
        await wholeSession.BasicRemote.SendBinaryAsync(binary).WaitAsync(s_timeout);
        Assert.Equal($"binary:{Convert.ToHexString(binary)}", await whole.Events.WaitForAsync("binary:"));
        Assert.DoesNotContain(whole.Events.Entries, e => e.StartsWith("error:", StringComparison.Ordinal));
    }

    public static async Task MessagesSentInPartsArriveWholeAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, [], deflate: false);
        await using var container = WebSocketContainer.Create();
        var endpoint = new WholeMessageClient();
        var session = await container.ConnectToServerAsync(endpoint, server.EchoUri).WaitAsync(s_timeout);

        // The peer validates the fragments (continuation frames, UTF-8 across them) and echoes the reassembled message.
        await session.BasicRemote.SendTextAsync("first ü, ", isLast: false).WaitAsync(s_timeout);
        await session.BasicRemote.SendTextAsync("second 🌍, ", isLast: false).WaitAsync(s_timeout);
        await session.BasicRemote.SendTextAsync("last", isLast: true).WaitAsync(s_timeout);
        Assert.Equal("text:first ü, second 🌍, last", await endpoint.Events.WaitForAsync("text:"));

        await session.BasicRemote.SendBinaryAsync(new byte[] { 1, 2 }, isLast: false).WaitAsync(s_timeout);
        await session.BasicRemote.SendBinaryAsync(new byte[] { 3 }, isLast: false).WaitAsync(s_timeout);
        await session.BasicRemote.SendBinaryAsync(new byte[] { 4, 5 }, isLast: true).WaitAsync(s_timeout);
        Assert.Equal("binary:0102030405", await endpoint.Events.WaitForAsync("binary:"));

        await session.CloseAsync().WaitAsync(s_timeout);
        Assert.DoesNotContain(endpoint.Events.Entries, e => e.StartsWith("error:", StringComparison.Ordinal));
        Assert.True(string.IsNullOrEmpty(server.Errors), server.Errors);
    }

    public static async Task PingIsAnsweredWithAPongAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, [], deflate: false);
        await using var container = WebSocketContainer.Create();
        var endpoint = new WholeMessageClient();
        var session = await container.ConnectToServerAsync(endpoint, server.EchoUri).WaitAsync(s_timeout);

        await session.BasicRemote.SendPingAsync(Encoding.UTF8.GetBytes("ping ✓")).WaitAsync(s_timeout);

        Assert.Equal("pong:ping ✓", await endpoint.Events.WaitForAsync("pong:"));
    }

    public static async Task CloseCodesAndReasonsTravelBothWaysAsync(PeerKind peer)
    {
        await using var server = await CommandPeerServer.StartAsync(peer, fragmentSize: 1000);
        await using var container = WebSocketContainer.Create();

        // Our client closes: the peer receives our code and reason.
        var first = new WholeMessageClient();
        var firstSession = await container.ConnectToServerAsync(first, server.Uri).WaitAsync(s_timeout);
        await firstSession.CloseAsync(new CloseReason((CloseCode)4001, "client bye ✓")).WaitAsync(s_timeout);
        Assert.Equal((4001, "client bye ✓"), server.WaitForClose());
        Assert.Equal("close:4001:client bye ✓", await first.Events.WaitForAsync("close:"));

        // The peer closes: our endpoint's OnClose gets the peer's code and reason.
        var second = new WholeMessageClient();
        var secondSession = await container.ConnectToServerAsync(second, server.Uri).WaitAsync(s_timeout);
        await secondSession.BasicRemote.SendTextAsync("close:4002:server bye").WaitAsync(s_timeout);
        Assert.Equal("close:4002:server bye", await second.Events.WaitForAsync("close:"));
        Assert.Equal(4002, server.WaitForClose().Code);   // our engine echoed the peer's code (RFC 6455 §5.5.1)
        Assert.False(secondSession.IsOpen);
    }

    public static async Task SubprotocolIsNegotiatedAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, ["interop.v2", "interop.v1"], deflate: false);
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder().WithSubprotocols("interop.v9", "interop.v1").Build();
        var endpoint = new WholeMessageClient();

        var session = await container.ConnectToServerAsync(endpoint, config, server.EchoUri).WaitAsync(s_timeout);

        Assert.Equal("interop.v1", session.NegotiatedSubprotocol);
        Assert.Equal("open:interop.v1", await endpoint.Events.WaitForAsync("open:"));
    }

    public static Task PerMessageDeflateIsNegotiatedAndWorksAsync(PeerKind peer, PerMessageDeflateOffer offer) =>
        PerMessageDeflateIsNegotiatedAndWorksAsync(peer, builder => builder.WithPerMessageDeflate(offer));

    /// <summary>
    /// permessage-deflate configured as an extension with parameters (Jakarta's <c>ClientEndpointConfig.getExtensions</c>):
    /// offered with them, and the server's answer honours them.
    /// </summary>
    public static Task ConfiguredExtensionIsOfferedWithItsParametersAsync(PeerKind peer) =>
        PerMessageDeflateIsNegotiatedAndWorksAsync(
            peer,
            builder => builder.WithExtensions(Extension.Parse("permessage-deflate; server_no_context_takeover; client_no_context_takeover")),
            expectedParameter: "server_no_context_takeover");

    private static async Task PerMessageDeflateIsNegotiatedAndWorksAsync(PeerKind peer, Action<ClientEndpointConfig.Builder> offer, string? expectedParameter = null)
    {
        await using var server = await PeerServer.StartAsync(peer, [], deflate: true);
        await using var container = WebSocketContainer.Create();
        var configurator = new ResponseRecorder();
        var builder = ClientEndpointConfig.CreateBuilder().WithConfigurator(configurator);
        offer(builder);
        var config = builder.Build();
        var endpoint = new WholeMessageClient();

        var session = await container.ConnectToServerAsync(endpoint, config, server.EchoUri).WaitAsync(s_timeout);

        var extensions = string.Join(", ", configurator.Response!.Headers["Sec-WebSocket-Extensions"]);
        Assert.StartsWith("permessage-deflate", extensions, StringComparison.Ordinal);
        if (expectedParameter is not null)
        {
            Assert.Contains(expectedParameter, extensions, StringComparison.Ordinal);
            Assert.Contains(Assert.Single(session.NegotiatedExtensions).Parameters, p => p.Name == expectedParameter);
        }

        var text = string.Concat(Enumerable.Repeat("squeeze this text, it repeats a lot; ", 3_000));
        for (var i = 0; i < 3; i++)
        {
            // Several messages: with context takeover each one is compressed against the previous ones.
            await session.BasicRemote.SendTextAsync(text + i).WaitAsync(s_timeout);
            await endpoint.Events.WaitForAsync($"text:{text}{i}");
            await session.BasicRemote.SendBinaryAsync(Encoding.UTF8.GetBytes(text)).WaitAsync(s_timeout);
            await endpoint.Events.WaitForCountAsync("binary:", i + 1);
        }

        await session.CloseAsync(new CloseReason((CloseCode)4003, "deflate done")).WaitAsync(s_timeout);
        Assert.Equal("close:4003:deflate done", await endpoint.Events.WaitForAsync("close:"));
        Assert.Equal(3, endpoint.Events.Entries.Count(e => e.StartsWith("binary:", StringComparison.Ordinal)));
        Assert.DoesNotContain(endpoint.Events.Entries, e => e.StartsWith("error:", StringComparison.Ordinal));
        Assert.True(string.IsNullOrEmpty(server.Errors), server.Errors);
    }

    /// <summary>Keeps the server's handshake response.</summary>
    private sealed class ResponseRecorder : ClientEndpointConfigurator
    {
        public HandshakeResponse? Response { get; private set; }

        public override void AfterResponse(HandshakeResponse response) => Response = response;
    }
}
