using System.Text;
using Annotated.WebSockets.Protocol;
using FsCheck.Xunit;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// Property: any sequence of messages, sent whole or in random fragments with pings in between, read back through
/// random read chunking (down to single bytes), whole or in parts, with or without permessage-deflate and context
/// takeover, arrives intact and in order in both directions, and the close handshake completes with 1000.
public sealed class RoundTripProperties
{
    private static readonly string[] Alphabet = ["a", "b", " ", "é", "€", "🎉", "ж", "\u0000", "z"];

    [Property(MaxTest = 80)]
    public void Messages_round_trip_between_a_client_and_a_server_engine(int seed, bool deflate, bool noContextTakeover, bool wholeAtServer, bool wholeAtClient)
    {
        RunAsync(seed, deflate, noContextTakeover, wholeAtServer, wholeAtClient).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    private sealed record Message(WebSocketMessageKind Kind, byte[] Data, int[] Cuts);

    private static async Task RunAsync(int seed, bool deflate, bool noContextTakeover, bool wholeAtServer, bool wholeAtClient)
    {
        var random = new Random(seed);
        PerMessageDeflateParameters? parameters = deflate
            ? new PerMessageDeflateParameters { ServerNoContextTakeover = noContextTakeover, ClientNoContextTakeover = noContextTakeover }
            : null;
        var (a, b) = DuplexPipe.CreatePair();
        var serverReads = new Random(random.Next());
        var clientReads = new Random(random.Next());
        // The close handshake's timeout is not under test here: a generous one keeps a starved machine (every test assembly
        // at once on two cores) from aborting a handshake that is merely slow, the suspected cause of a rare "connection aborted".
        var closeTimeout = TimeSpan.FromSeconds(20);
        await using var server = new WebSocketEngine(new ChunkingStream(a, ReadSize(serverReads)), new WebSocketEngineOptions { Role = WebSocketRole.Server, Deflate = parameters, MaxQueuedSendBytes = random.Next(1, 70_000), CloseTimeout = closeTimeout });
        await using var client = new WebSocketEngine(new ChunkingStream(b, ReadSize(clientReads)), new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = parameters, MaxQueuedSendBytes = random.Next(1, 70_000), CloseTimeout = closeTimeout });

        List<Message> toServer = Generate(random);
        List<Message> toClient = Generate(random);
        ReceivePolicy serverPolicy = wholeAtServer ? ReceivePolicy.Whole : ReceivePolicy.Partial;
        ReceivePolicy clientPolicy = wholeAtClient ? ReceivePolicy.Whole : ReceivePolicy.Partial;
        var serverState = new Counters();
        var clientState = new Counters();
        Task<Received> serverReceive = ReceiveAllAsync(server, serverPolicy, serverState);
        Task<Received> clientReceive = ReceiveAllAsync(client, clientPolicy, clientState);

        int pings = await SendAllAsync(client, toServer, random);
        await SendAllAsync(server, toClient, random);

        // Pongs that arrive after our close are not delivered, so wait for all of them first (bounded).
        for (int i = 0; i < 1000 && (Volatile.Read(ref clientState.Pongs) < pings || Volatile.Read(ref clientState.Messages) < toClient.Count); i++)
        {
            await Task.Delay(5);
        }

        await client.CloseOutputAsync(CloseStatusCodes.NormalClosure, "done", CancellationToken.None);

        Received atServer = await serverReceive;
        Received atClient = await clientReceive;
        AssertSame(toServer, atServer.Messages);
        AssertSame(toClient, atClient.Messages);
        Assert.Equal((1000, "done"), (atServer.Close.CloseCode, atServer.Close.CloseReason));
        Assert.Null(atServer.Close.Error);
        Assert.Equal(1000, atClient.Close.CloseCode);
        Assert.Null(atClient.Close.Error);
        Assert.Equal(pings, atClient.Pongs);
        Assert.Equal(0, atServer.PartsSplitCodePoints + atClient.PartsSplitCodePoints);
    }

    private sealed class Counters
    {
        public int Pongs;
        public int Messages;
    }

    private static Func<int> ReadSize(Random random) => () => random.Next(16) switch
    {
        0 => 1,
        1 or 2 => random.Next(1, 8),
        3 or 4 or 5 => random.Next(1, 300),
        _ => random.Next(1, 70_000),
    };

    private static List<Message> Generate(Random random)
    {
        var messages = new List<Message>();
        int count = random.Next(0, 8);
        for (int i = 0; i < count; i++)
        {
            int length = random.Next(6) == 0 ? random.Next(0, 70_000) : random.Next(0, 300);
            byte[] data;
            WebSocketMessageKind kind = random.Next(2) == 0 ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
            if (kind == WebSocketMessageKind.Text)
            {
                var text = new StringBuilder();
                for (int bytes = 0; bytes < length;)
                {
                    string next = Alphabet[random.Next(Alphabet.Length)];
                    text.Append(next);
                    bytes += Encoding.UTF8.GetByteCount(next);
                }

                data = Encoding.UTF8.GetBytes(text.ToString());
            }
            else
            {
                data = new byte[length];
                if (random.Next(2) == 0)
                {
                    random.NextBytes(data);
                }
            }

            int pieces = random.Next(3) == 0 ? random.Next(2, 6) : 1;
            int[] cuts = Enumerable.Range(0, pieces - 1).Select(_ => random.Next(0, data.Length + 1)).Order().ToArray();
            messages.Add(new Message(kind, data, cuts));
        }

        return messages;
    }

    private static async Task<int> SendAllAsync(WebSocketEngine engine, List<Message> messages, Random random)
    {
        int pings = 0;
        foreach (Message message in messages)
        {
            int start = 0;
            int[] ends = [.. message.Cuts, message.Data.Length];
            for (int piece = 0; piece < ends.Length; piece++)
            {
                int cut = ends[piece];
                await engine.SendAsync(message.Kind, message.Data.AsMemory(start, cut - start), piece == ends.Length - 1, CancellationToken.None);
                start = cut;
                if (random.Next(4) == 0)
                {
                    await engine.SendPingAsync(new byte[random.Next(0, 126)], CancellationToken.None);
                    pings++;
                }
            }
        }

        return pings;
    }

    private sealed record Received(List<(WebSocketMessageKind Kind, byte[] Data)> Messages, WebSocketEvent Close, int Pongs, int PartsSplitCodePoints);

    private static async Task<Received> ReceiveAllAsync(WebSocketEngine engine, ReceivePolicy policy, Counters counters)
    {
        var messages = new List<(WebSocketMessageKind, byte[])>();
        var current = new List<byte>();
        int pongs = 0;
        int splits = 0;
        while (true)
        {
            WebSocketEvent e = await engine.ReceiveAsync(policy, CancellationToken.None);
            switch (e.Kind)
            {
                case WebSocketEventKind.Close:
                    return new Received(messages, e, pongs, splits);
                case WebSocketEventKind.Pong:
                    pongs++;
                    Interlocked.Increment(ref counters.Pongs);
                    break;
                case WebSocketEventKind.Ping:
                    break;
                default:
                    if (e.Kind == WebSocketEventKind.Text && !System.Text.Unicode.Utf8.IsValid(e.Payload.Span))
                    {
                        splits++;
                    }

                    current.AddRange(e.Payload.ToArray());
                    if (e.EndOfMessage)
                    {
                        messages.Add((e.Kind == WebSocketEventKind.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary, current.ToArray()));
                        current.Clear();
                        Interlocked.Increment(ref counters.Messages);
                    }

                    break;
            }
        }
    }

    private static void AssertSame(List<Message> sent, List<(WebSocketMessageKind Kind, byte[] Data)> received)
    {
        Assert.Equal(sent.Count, received.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(sent[i].Kind, received[i].Kind);
            Assert.Equal(sent[i].Data, received[i].Data);
        }
    }
}
