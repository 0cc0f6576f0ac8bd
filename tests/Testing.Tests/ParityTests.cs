using System.Text;

namespace Annotated.WebSockets.Testing.Tests;

/// <summary>
/// The parity suite: each scenario runs once in memory and once over Kestrel on loopback, and both runs must give the
/// same transcripts (every client's, both ways), the same endpoint calls and the same handshake statuses. The in-memory
/// transport is only worth having if what it says is what a socket says.
/// </summary>
public class ParityTests
{
    private static readonly Dictionary<string, Func<WebSocketTestHost, List<string>, Task>> s_scenarios = new()
    {
        ["echo text"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendTextAsync("hello");
            await client.ExpectTextAsync("hello");
            await CloseAsync(client);
        },
        ["echo binary"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendBinaryAsync(new byte[] { 0, 1, 2, 255 });
            await client.ExpectBinaryAsync(new byte[] { 0, 1, 2, 255 });
            await CloseAsync(client);
        },
        ["utf8 text"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendTextAsync(new Utf8Text("zß水🍌"));
            await client.ExpectTextAsync("zß水🍌");
            await CloseAsync(client);
        },
        ["path parameter and query"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/greet/ann?punct=%3F");
            await client.ExpectTextAsync("hello ann?");
            await CloseAsync(client);
        },
        ["subprotocol, client's order"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/proto", options => options.WithSubprotocols("v1", "v2"));
            await client.ExpectTextAsync("protocol:v1");
            await CloseAsync(client);
        },
        ["no subprotocol offered"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/proto");
            await client.ExpectTextAsync("protocol:");
            await CloseAsync(client);
        },
        ["ping answered"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendPingAsync(Encoding.UTF8.GetBytes("are you there"));
            await client.ExpectPongAsync();
            await CloseAsync(client);
        },
        ["json round trip"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendJsonAsync(new { Name = "ann", Age = 7 });
            await client.ExpectTextAsync("{\"name\":\"ann\",\"age\":7}");
            await CloseAsync(client);
        },
        ["unmasked client frame: 1002"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendRawAsync(WebSocketFrames.Text("plain", masked: false));
            await client.ExpectCloseAsync(CloseCode.ProtocolError);
        },
        ["reserved opcode: 1002"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendRawAsync(WebSocketFrames.Frame(0x3, [1, 2]));
            await client.ExpectCloseAsync(CloseCode.ProtocolError);
        },
        ["RSV1 without an extension: 1002"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendRawAsync(WebSocketFrames.Frame(WebSocketFrames.TextOpcode, "x"u8, rsv: 4));
            await client.ExpectCloseAsync(CloseCode.ProtocolError);
        },
        ["invalid UTF-8: 1007"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendRawAsync(WebSocketFrames.Text(new byte[] { 0xC3, 0x28 }));
            await client.ExpectCloseAsync(CloseCode.NotConsistent);
        },
        ["fragments are one message"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendRawAsync(WebSocketFrames.Text("frag", fin: false));
            await client.SendRawAsync(WebSocketFrames.Frame(WebSocketFrames.Continuation, "ment"u8));
            await client.ExpectTextAsync("fragment");
            await CloseAsync(client);
        },
        ["too big: 1009"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.SendTextAsync(new string('x', 1025));
            await client.ExpectCloseAsync(CloseCode.TooBig);
        },
        ["text to a binary-only endpoint: 1003"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/binary-only");
            await client.SendTextAsync("no");
            await client.ExpectCloseAsync(CloseCode.CannotAccept);
        },
        ["OnError routing, session stays open"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/fail");
            await client.SendTextAsync("boom");
            await client.ExpectTextAsync("error:InvalidOperationException");
            await client.SendTextAsync("again");
            await client.ExpectTextAsync("ok");
            await CloseAsync(client);
        },
        ["client close: OnClose once"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.CloseAsync(CloseCode.NormalClosure, "bye");
            await client.ExpectCloseAsync(CloseCode.NormalClosure);
        },
        ["server close: OnClose once"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/closer");
            await client.SendTextAsync("done");
            await client.ExpectCloseAsync((CloseCode)4000, "done");
        },
        ["abort: OnClose once with 1006"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await client.AbortAsync();
            await host.WaitForQuiescenceAsync();
        },
        ["rooms: per-client delivery"] = async (host, log) =>
        {
            var a = await host.ConnectAsync("/t/room/red");
            var b = await host.ConnectAsync("/t/room/red");
            var c = await host.ConnectAsync("/t/room/blue");
            log.Add($"open sessions: {host.OpenSessionCount}");
            await a.SendTextAsync("X");
            await b.ExpectTextAsync("X");
            await a.ExpectNothingMoreAsync();
            await c.ExpectNothingMoreAsync();
            await CloseAsync(a);
            await CloseAsync(b);
            await CloseAsync(c);
        },
        ["idle timeout in virtual time"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await host.AdvanceAsync(TimeSpan.FromMinutes(30) - TimeSpan.FromMilliseconds(1));
            await client.ExpectNothingMoreAsync();
            await host.AdvanceAsync(TimeSpan.FromSeconds(2));
            await client.ExpectCloseAsync(CloseCode.GoingAway, "Idle timeout");
        },
        ["server timer in virtual time"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/ticker");
            await host.AdvanceAsync(TimeSpan.FromSeconds(25));
            await client.ExpectTextAsync("tick");
            await client.ExpectTextAsync("tick");
            await client.ExpectNothingMoreAsync();
            await CloseAsync(client);
        },
        ["rate-limit delay in virtual time"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/slow-echo");
            await client.SendTextAsync("first");
            await client.SendTextAsync("second");
            await client.ExpectTextAsync("first");
            // The second waits for the next second's token: the server reads nothing meanwhile, and the host is quiescent.
            await client.ExpectNothingMoreAsync();
            await host.AdvanceAsync(TimeSpan.FromMilliseconds(999));
            await client.ExpectNothingMoreAsync();
            await host.AdvanceAsync(TimeSpan.FromMilliseconds(1));
            await client.ExpectTextAsync("second");
            await CloseAsync(client);
        },
        ["no endpoint: 404"] = async (host, log) =>
        {
            var result = await host.TryConnectAsync("/t/nowhere");
            log.Add($"status {result.StatusCode}");
        },
        ["foreign origin: 403"] = async (host, log) =>
        {
            var result = await host.TryConnectAsync("/t/echo", options => options.WithHeader("Origin", "https://evil.example"));
            log.Add($"status {result.StatusCode}");
        },
        ["host shutdown: 1001"] = async (host, _) =>
        {
            var client = await host.ConnectAsync("/t/echo");
            await host.StopAsync();
            await client.ExpectCloseAsync(CloseCode.GoingAway);
        },
    };

    public static TheoryData<string> Scenarios => [.. s_scenarios.Keys];

    [Fact]
    public void The_suite_has_at_least_20_scenarios() => Assert.True(s_scenarios.Count >= 20, $"{s_scenarios.Count} scenarios");

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_scenario_gives_the_same_transcript_in_memory_and_over_Kestrel(string scenario)
    {
        var inMemory = await RunAsync(scenario, WebSocketTestTransport.InMemory);
        var kestrel = await RunAsync(scenario, WebSocketTestTransport.Kestrel);

        Assert.Equal(inMemory, kestrel);
    }

    private static async Task<string> RunAsync(string scenario, WebSocketTestTransport transport)
    {
        var log = new List<string>();
        await using (var host = await Hosts.StartAsync(builder => builder
            .ConfigureWebSockets(options => options.AllowedOrigins.Add("https://good.example"))
            .ConfigureHost(options => options.Transport = transport)))
        {
            await s_scenarios[scenario](host, log);
            await host.WaitForQuiescenceAsync();
            foreach (var client in host.Clients)
            {
                log.Add($"client {client.Path}:");
                log.AddRange(client.Transcript.Lines);
            }

            log.Add("endpoint: " + string.Join(", ", host.Calls().Events));
        }

        return string.Join("\n", log);
    }

    private static async Task CloseAsync(WebSocketTestClient client)
    {
        await client.CloseAsync();
        await client.ExpectCloseAsync(CloseCode.NormalClosure);
    }
}
