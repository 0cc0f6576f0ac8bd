using System.Net.WebSockets;
using System.Text;
using Annotated.WebSockets.Interop.Tests.Infrastructure;

namespace Annotated.WebSockets.Interop.Tests.Servers;

/// <summary>
/// The peers' echo servers that our WebSocket client is to be tested against, checked with .NET's own
/// <see cref="ClientWebSocket"/>: a broken peer script shows up here, not as a false failure of our client.
/// </summary>
public sealed class PeerServerHarnessTests
{
    [PeerFact(PeerKind.NodeWs)]
    public Task NodeWsServer_EchoesNegotiatesAndClosesLikeAReferenceServer() => CheckAsync(PeerKind.NodeWs);

    [PeerFact(PeerKind.PythonWebsockets)]
    public Task PythonWebsocketsServer_EchoesNegotiatesAndClosesLikeAReferenceServer() => CheckAsync(PeerKind.PythonWebsockets);

    private static async Task CheckAsync(PeerKind peer)
    {
        await using var server = await PeerServer.StartAsync(peer, ["interop.v1"], deflate: true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol("unknown.v9");
        client.Options.AddSubProtocol("interop.v1");
        client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        client.Options.CollectHttpResponseDetails = true;

        await client.ConnectAsync(server.EchoUri, timeout.Token);
        Assert.Equal("interop.v1", client.SubProtocol);
        Assert.StartsWith("permessage-deflate", string.Join(", ", client.HttpResponseHeaders!["Sec-WebSocket-Extensions"]), StringComparison.Ordinal);

        var text = string.Concat(Enumerable.Repeat("peer harness ✓ ", 2_000));
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        var (type, echoed) = await ReceiveMessageAsync(client, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(text, Encoding.UTF8.GetString(echoed));

        await client.CloseAsync((WebSocketCloseStatus)4001, "bye", timeout.Token);
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
        Assert.True(string.IsNullOrEmpty(server.Errors), server.Errors);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveMessageAsync(ClientWebSocket client, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
