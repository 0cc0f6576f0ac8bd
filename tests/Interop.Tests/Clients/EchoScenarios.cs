using System.Text;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Clients;

/// <summary>
/// The scenarios every scripted client peer runs against samples/Echo, so Node 'ws' and Python 'websockets'
/// are held to exactly the same expectations. Each scenario is one connection and a bounded number of steps.
/// </summary>
internal static class EchoScenarios
{
    public const string EchoPath = "/echo";

    public static async Task TextMessagesRoundTripAsync(PeerKind peer, EchoServerFixture echo)
    {
        string[] messages =
        [
            "hello",
            "héllo wörld ✓ — 日本語 🎉",
            "",
            new string('x', 70_000), // above 65535 bytes: the 64-bit payload length form
        ];
        var result = await RunAsync(peer, echo, messages.Select(PlanStep.Text));

        Expect.Completed(result, messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            Expect.TextMessage(result.Steps[i], messages[i]);
        }

        // Nothing was offered, so nothing may be negotiated.
        Assert.Null(result.Extensions);
        Assert.Null(result.Protocol);
    }

    public static async Task BinaryMessagesRoundTripAsync(PeerKind peer, EchoServerFixture echo)
    {
        byte[][] messages =
        [
            Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(),
            [],
            Noise(100_000, seed: 6455),
        ];
        var result = await RunAsync(peer, echo, messages.Select(PlanStep.Binary));

        Expect.Completed(result, messages.Length);
        for (var i = 0; i < messages.Length; i++)
        {
            Expect.BinaryMessage(result.Steps[i], messages[i]);
        }
    }

    public static async Task FragmentedMessagesArriveWholeAsync(PeerKind peer, EchoServerFixture echo)
    {
        var binaryParts = new[] { Noise(1000, seed: 1), Noise(1, seed: 2), Noise(5000, seed: 3) };
        var steps = new List<PlanStep>
        {
            PlanStep.TextFragments("Hello, ", "fragmented ", "wörld ✓"),
            PlanStep.BinaryFragments(binaryParts),
        };
        var result = await RunAsync(peer, echo, steps);

        Expect.Completed(result, steps.Count);
        Expect.TextMessage(result.Steps[0], "Hello, fragmented wörld ✓");
        Expect.BinaryMessage(result.Steps[1], binaryParts.SelectMany(p => p).ToArray());
    }

    /// <summary>A text message cut inside a UTF-8 sequence ("€" is E2 82 AC): valid, because UTF-8 is checked per message.</summary>
    public static async Task TextSplitInsideUtf8SequenceArrivesWholeAsync(PeerKind peer, EchoServerFixture echo)
    {
        var bytes = Encoding.UTF8.GetBytes("price: 5€, ok");
        var cut = Array.IndexOf(bytes, (byte)0xE2) + 1;
        var result = await RunAsync(peer, echo, [PlanStep.TextFragmentsOfBytes(bytes[..cut], bytes[cut..(cut + 1)], bytes[(cut + 1)..])]);

        Expect.Completed(result, 1);
        Expect.TextMessage(result.Steps[0], "price: 5€, ok");
    }

    public static async Task PingIsAnsweredWithSamePayloadAsync(PeerKind peer, EchoServerFixture echo)
    {
        var result = await RunAsync(peer, echo, [PlanStep.Ping("interop-ping"), PlanStep.Text("still open")]);

        Expect.Completed(result, 2);
        Expect.Pong(result.Steps[0], "interop-ping");
        Expect.TextMessage(result.Steps[1], "still open");
    }

    public static async Task CloseCodeIsEchoedAsync(PeerKind peer, EchoServerFixture echo)
    {
        var result = await RunAsync(peer, echo, [PlanStep.Text("before close"), PlanStep.Close(4001, "bye")]);

        Expect.Completed(result, 2);
        Expect.TextMessage(result.Steps[0], "before close");
        Expect.Close(result.Steps[1], 4001);
    }

    public static async Task PerMessageDeflateIsNegotiatedAndLargeMessagesRoundTripAsync(PeerKind peer, EchoServerFixture echo)
    {
        const string sentence = "The quick brown fox jumps over the lazy dog. ";
        var block = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var steps = new List<PlanStep>
        {
            PlanStep.RepeatedText(sentence, 6_000),      // 270 KB of text that compresses to almost nothing
            PlanStep.RepeatedText(sentence, 6_000),      // the same again: back-references into the kept window
            PlanStep.RepeatedBinary(block, 2_048),       // 128 KiB binary
            PlanStep.Binary(Noise(50_000, seed: 7692)),  // incompressible
            PlanStep.TextFragments(new string('a', 20_000), new string('b', 20_000), "end"),
            PlanStep.Text("small after large"),
        };
        var result = await RunAsync(peer, echo, steps, deflate: true);

        Expect.Completed(result, steps.Count);
        Assert.NotNull(result.Extensions);
        Assert.StartsWith("permessage-deflate", result.Extensions, StringComparison.Ordinal);
        var largeText = string.Concat(Enumerable.Repeat(sentence, 6_000));
        Expect.TextMessage(result.Steps[0], largeText);
        Expect.TextMessage(result.Steps[1], largeText);
        Expect.BinaryMessage(result.Steps[2], Enumerable.Repeat(block, 2_048).SelectMany(b => b).ToArray());
        Expect.BinaryMessage(result.Steps[3], Noise(50_000, seed: 7692));
        Expect.TextMessage(result.Steps[4], new string('a', 20_000) + new string('b', 20_000) + "end");
        Expect.TextMessage(result.Steps[5], "small after large");
    }

    /// <summary>
    /// An offer with no-context-takeover parameters (RFC 7692 §7.1.1): a server that accepts it must answer with
    /// server_no_context_takeover, and both sides then compress every message with a fresh window. Repeating
    /// a large message checks that neither side refers back into the previous message.
    /// </summary>
    public static async Task PerMessageDeflateNoContextTakeoverIsHonouredAsync(PeerKind peer, EchoServerFixture echo)
    {
        const string sentence = "No context takeover, every message on its own. ";
        var offer = new DeflateOffer { ServerNoContextTakeover = true, ClientNoContextTakeover = true };
        var steps = new List<PlanStep>
        {
            PlanStep.RepeatedText(sentence, 3_000),
            PlanStep.RepeatedText(sentence, 3_000),
            PlanStep.Binary(Noise(20_000, seed: 10)),
            PlanStep.Text("small"),
        };
        var result = await RunAsync(peer, echo, steps, offer: offer);

        Expect.Completed(result, steps.Count);
        var parameters = (result.Extensions ?? "").Split(';', StringSplitOptions.TrimEntries);
        Assert.Equal("permessage-deflate", parameters[0]);
        Assert.Contains("server_no_context_takeover", parameters);
        var largeText = string.Concat(Enumerable.Repeat(sentence, 3_000));
        Expect.TextMessage(result.Steps[0], largeText);
        Expect.TextMessage(result.Steps[1], largeText);
        Expect.BinaryMessage(result.Steps[2], Noise(20_000, seed: 10));
        Expect.TextMessage(result.Steps[3], "small");
    }

    /// <summary>
    /// An offer with server_max_window_bits=9 (RFC 7692 §7.1.2.1), as Node's ws and Autobahn clients send to cut the
    /// memory of their inflater: the server answers the same value and compresses with a 512-byte window, which the
    /// client's inflater (initialised with 9 bits) then reads. The binary message repeats blocks 600 to 3,000 bytes
    /// apart, beyond that window, so a server that kept its 32 KiB window would make references the client cannot follow.
    /// </summary>
    public static async Task PerMessageDeflateSmallServerWindowIsHonouredAsync(PeerKind peer, EchoServerFixture echo)
    {
        const string sentence = "A small window on the server's side, every message compressed. ";
        var offer = new DeflateOffer { ServerMaxWindowBits = 9 };
        var farRepeats = Annotated.WebSockets.Tests.Shared.FarRepeats.Create(120_000, seed: 9);
        var steps = new List<PlanStep>
        {
            PlanStep.RepeatedText(sentence, 3_000),
            PlanStep.RepeatedText(sentence, 3_000),
            PlanStep.Binary(farRepeats),
            PlanStep.TextFragments(new string('a', 20_000), new string('b', 20_000), "end"),
            PlanStep.Text("small"),
        };
        var result = await RunAsync(peer, echo, steps, offer: offer);

        Expect.Completed(result, steps.Count);
        var parameters = (result.Extensions ?? "").Split(';', StringSplitOptions.TrimEntries);
        Assert.Equal("permessage-deflate", parameters[0]);
        Assert.Contains("server_max_window_bits=9", parameters);
        var largeText = string.Concat(Enumerable.Repeat(sentence, 3_000));
        Expect.TextMessage(result.Steps[0], largeText);
        Expect.TextMessage(result.Steps[1], largeText);
        Expect.BinaryMessage(result.Steps[2], farRepeats);
        Expect.TextMessage(result.Steps[3], new string('a', 20_000) + new string('b', 20_000) + "end");
        Expect.TextMessage(result.Steps[4], "small");
    }

    private static async Task<PeerResult> RunAsync(
        PeerKind peer, EchoServerFixture echo, IEnumerable<PlanStep> steps, bool deflate = false, DeflateOffer? offer = null)
    {
        var server = await echo.GetServerAsync();
        return await ClientPeer.RunAsync(peer, new Plan(server.WebSocketUri(EchoPath).ToString(), steps.ToArray())
        {
            Deflate = deflate,
            DeflateOffer = offer,
        });
    }

    private static byte[] Noise(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
