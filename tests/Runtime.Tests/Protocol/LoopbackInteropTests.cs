using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// The engine against the framework's own WebSocket implementation over real loopback TCP: in the server role on
/// Kestrel's upgraded stream against ClientWebSocket, and in the client role against ASP.NET Core's
/// AcceptWebSocketAsync, with and without permessage-deflate.
public sealed class LoopbackInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplication> configure)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        configure(app);
        await app.StartAsync().WaitAsync(Timeout);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address));
    }

    /// The server side of a test: handshake by hand through IHttpUpgradeFeature, then an engine echo loop that also
    /// answers "ping-me" by pinging the client with an application payload and reporting the pong it gets back.
    private static async Task EngineEchoAsync(HttpContext context, PerMessageDeflateOptions? deflateOptions, TaskCompletionSource<WebSocketEvent> closed)
    {
        IHttpUpgradeFeature upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
        if (!upgrade.IsUpgradableRequest || context.Request.Headers.SecWebSocketKey.Count != 1)
        {
            context.Response.StatusCode = 400;
            return;
        }

        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.SecWebSocketAccept = WebSocketHandshake.ComputeAcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        PerMessageDeflateParameters? deflate = null;
        if (deflateOptions is not null
            && PerMessageDeflateNegotiator.TryNegotiate(context.Request.Headers.SecWebSocketExtensions.Select(v => v ?? ""), deflateOptions, out deflate, out string? response))
        {
            context.Response.Headers.SecWebSocketExtensions = response;
        }

        Stream stream = await upgrade.UpgradeAsync();
        await using var engine = new WebSocketEngine(stream, new WebSocketEngineOptions { Role = WebSocketRole.Server, Deflate = deflate, MaxMessageSize = 4 * 1024 * 1024 });
        while (true)
        {
            WebSocketEvent e = await engine.ReceiveAsync(ReceivePolicy.Whole, CancellationToken.None);
            switch (e.Kind)
            {
                case WebSocketEventKind.Close:
                    closed.TrySetResult(e);
                    return;
                case WebSocketEventKind.Pong when e.Payload.Span.SequenceEqual("app-ping"u8):
                    await engine.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes("pong:" + Encoding.UTF8.GetString(e.Payload.Span)), true, CancellationToken.None);
                    break;
                case WebSocketEventKind.Text when e.Payload.Span.SequenceEqual("ping-me"u8):
                    await engine.SendPingAsync("app-ping"u8.ToArray(), CancellationToken.None);
                    break;
                case WebSocketEventKind.Text when e.Payload.Span.SequenceEqual("fragments"u8):
                    await engine.SendAsync(WebSocketMessageKind.Text, "frag"u8.ToArray(), false, CancellationToken.None);
                    await engine.SendPingAsync("between"u8.ToArray(), CancellationToken.None);
                    await engine.SendAsync(WebSocketMessageKind.Text, "mé"u8.ToArray(), false, CancellationToken.None);
                    await engine.SendAsync(WebSocketMessageKind.Text, "nts"u8.ToArray(), true, CancellationToken.None);
                    break;
                case WebSocketEventKind.Text or WebSocketEventKind.Binary:
                    await engine.SendAsync(e.Kind == WebSocketEventKind.Text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary, e.Payload, true, CancellationToken.None);
                    break;
            }
        }
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveWholeAsync(WebSocket socket)
    {
        var data = new MemoryStream();
        byte[] buffer = new byte[8192];
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, data.ToArray());
            }
        }
    }

    public static TheoryData<bool, bool> DeflateCases => new() { { false, false }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(DeflateCases))]
    public async Task Engine_server_on_Kestrel_talks_to_ClientWebSocket(bool deflate, bool noContextTakeover)
    {
        var closed = new TaskCompletionSource<WebSocketEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        PerMessageDeflateOptions? serverDeflate = deflate ? new PerMessageDeflateOptions() : null;
        var (app, address) = await StartAsync(a => a.Run(context => EngineEchoAsync(context, serverDeflate, closed)));
        await using (app)
        {
            using var client = new ClientWebSocket();
            client.Options.CollectHttpResponseDetails = true;
            if (deflate)
            {
                client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions { ClientContextTakeover = !noContextTakeover, ServerContextTakeover = !noContextTakeover };
            }

            await client.ConnectAsync(new Uri($"ws://{address.Authority}/"), CancellationToken.None).WaitAsync(Timeout);
            string? extensions = client.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true ? string.Join(",", values) : null;
            if (deflate)
            {
                Assert.StartsWith("permessage-deflate", extensions);
                Assert.Equal(noContextTakeover, extensions!.Contains("server_no_context_takeover"));
            }
            else
            {
                Assert.Null(extensions);
            }

            string text = string.Concat(Enumerable.Repeat("héllo wörld 🎉 ", 500));
            await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
            var echoed = await ReceiveWholeAsync(client);
            Assert.Equal(WebSocketMessageType.Text, echoed.Type);
            Assert.Equal(text, Encoding.UTF8.GetString(echoed.Data));

            byte[] binary = new byte[300_000];
            new Random(5).NextBytes(binary.AsSpan(0, 100_000));
            for (int i = 0; i < 3; i++)
            {
                await client.SendAsync(binary.AsMemory(i * 100_000, 100_000), WebSocketMessageType.Binary, i == 2, CancellationToken.None).AsTask().WaitAsync(Timeout);
            }

            var echoedBinary = await ReceiveWholeAsync(client);
            Assert.Equal(WebSocketMessageType.Binary, echoedBinary.Type);
            Assert.Equal(binary, echoedBinary.Data);

            for (int i = 0; i < 3; i++)
            {
                await client.SendAsync(Encoding.UTF8.GetBytes("again " + i), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
                Assert.Equal("again " + i, Encoding.UTF8.GetString((await ReceiveWholeAsync(client)).Data));
            }

            // The engine pings with an application payload; ClientWebSocket answers; the engine delivers the pong.
            await client.SendAsync("ping-me"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("pong:app-ping", Encoding.UTF8.GetString((await ReceiveWholeAsync(client)).Data));

            await client.SendAsync("fragments"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal("fragménts", Encoding.UTF8.GetString((await ReceiveWholeAsync(client)).Data));

            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Timeout);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
            WebSocketEvent serverClose = await closed.Task.WaitAsync(Timeout);
            Assert.Equal(1000, serverClose.CloseCode);
            Assert.Equal("bye", serverClose.CloseReason);
            Assert.Null(serverClose.Error);
        }
    }

    [Fact]
    public async Task Engine_server_closes_ClientWebSocket_with_its_code()
    {
        var (app, address) = await StartAsync(a => a.Run(async context =>
        {
            IHttpUpgradeFeature upgrade = context.Features.Get<IHttpUpgradeFeature>()!;
            context.Response.Headers.Upgrade = "websocket";
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.SecWebSocketAccept = WebSocketHandshake.ComputeAcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
            await using var engine = new WebSocketEngine(await upgrade.UpgradeAsync(), new WebSocketEngineOptions { Role = WebSocketRole.Server });
            await engine.CloseOutputAsync(4000, "server says bye", CancellationToken.None);
            await engine.ReceiveAsync(ReceivePolicy.Whole, CancellationToken.None);
        }));
        await using (app)
        {
            using var client = new ClientWebSocket();
            await client.ConnectAsync(new Uri($"ws://{address.Authority}/"), CancellationToken.None).WaitAsync(Timeout);
            var received = await ReceiveWholeAsync(client);
            Assert.Equal(WebSocketMessageType.Close, received.Type);
            Assert.Equal((WebSocketCloseStatus)4000, client.CloseStatus);
            Assert.Equal("server says bye", client.CloseStatusDescription);
            await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).WaitAsync(Timeout);
        }
    }

    [Theory]
    [MemberData(nameof(DeflateCases))]
    public async Task Engine_client_talks_to_AspNetCore_AcceptWebSocketAsync(bool deflate, bool noContextTakeover)
    {
        var serverClose = new TaskCompletionSource<WebSocketCloseStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (app, address) = await StartAsync(a =>
        {
            a.UseWebSockets();
            a.Run(async context =>
            {
                using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
                {
                    DangerousEnableCompression = deflate,
                    DisableServerContextTakeover = noContextTakeover,
                });
                byte[] buffer = new byte[1 << 20];
                while (true)
                {
                    ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        serverClose.TrySetResult(socket.CloseStatus);
                        await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, socket.CloseStatusDescription, CancellationToken.None);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
                }
            });
        });
        await using (app)
        {
            var clientOptions = new PerMessageDeflateOptions { ClientNoContextTakeover = noContextTakeover };
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, address.Port).WaitAsync(Timeout);
            NetworkStream stream = tcp.GetStream();
            string key = WebSocketHandshake.CreateClientKey();
            string request = $"GET / HTTP/1.1\r\nHost: {address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                + (deflate ? $"Sec-WebSocket-Extensions: {PerMessageDeflateNegotiator.CreateOffer(clientOptions)}\r\n" : "") + "\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request)).AsTask().WaitAsync(Timeout);
            Dictionary<string, string> headers = await ReadResponseHeadAsync(stream);
            Assert.Equal("101", headers[":status"]);
            Assert.Equal(WebSocketHandshake.ComputeAcceptKey(key), headers["sec-websocket-accept"]);
            PerMessageDeflateParameters? parameters = null;
            if (deflate)
            {
                Assert.True(PerMessageDeflateNegotiator.TryAcceptResponse(headers["sec-websocket-extensions"], clientOptions, out parameters), headers["sec-websocket-extensions"]);
                Assert.Equal(noContextTakeover, parameters.ServerNoContextTakeover);
            }
            else
            {
                Assert.False(headers.ContainsKey("sec-websocket-extensions"));
            }

            await using var engine = new WebSocketEngine(stream, new WebSocketEngineOptions { Role = WebSocketRole.Client, Deflate = parameters, DeflateOptions = clientOptions });
            for (int i = 0; i < 3; i++)
            {
                string text = "bonjour ça va? " + new string('x', i * 1000);
                await engine.SendTextAsync(text);
                WebSocketEvent echoed = await engine.NextAsync();
                Assert.Equal(WebSocketEventKind.Text, echoed.Kind);
                Assert.Equal(text, echoed.Text());
            }

            byte[] binary = new byte[200_000];
            new Random(9).NextBytes(binary.AsSpan(0, 50_000));
            await engine.SendAsync(WebSocketMessageKind.Binary, binary.AsMemory(0, 70_000), false, CancellationToken.None);
            await engine.SendPingAsync("mid-message"u8.ToArray(), CancellationToken.None);
            await engine.SendAsync(WebSocketMessageKind.Binary, binary.AsMemory(70_000), true, CancellationToken.None);
            var events = new List<WebSocketEvent>();
            WebSocketEvent pong = await engine.NextAsync();
            Assert.Equal(WebSocketEventKind.Pong, pong.Kind);
            Assert.Equal("mid-message", pong.Text());
            WebSocketEvent echoedBinary = await engine.NextAsync(new ReceivePolicy(true, 0, true, 1 << 20));
            Assert.Equal(WebSocketEventKind.Binary, echoedBinary.Kind);
            Assert.Equal(binary, echoedBinary.Payload.ToArray());

            await engine.CloseOutputAsync(1000, "bye", CancellationToken.None);
            WebSocketEvent close = await engine.NextAsync();
            Assert.Equal(WebSocketEventKind.Close, close.Kind);
            Assert.Equal(1000, close.CloseCode);
            Assert.Null(close.Error);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, await serverClose.Task.WaitAsync(Timeout));
        }
    }

    private static async Task<Dictionary<string, string>> ReadResponseHeadAsync(Stream stream)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            int n = await stream.ReadAsync(one).AsTask().WaitAsync(Timeout);
            Assert.True(n == 1, "the server closed during the handshake");
            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = new Dictionary<string, string> { [":status"] = lines[0].Split(' ')[1] };
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            string name = line[..colon].Trim().ToLowerInvariant();
            headers[name] = headers.TryGetValue(name, out string? existing) ? existing + ", " + line[(colon + 1)..].Trim() : line[(colon + 1)..].Trim();
        }

        return headers;
    }
}
