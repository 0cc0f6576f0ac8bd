using System.Net.WebSockets;
using System.Text;

namespace Annotated.WebSockets.Package.Tests.Infrastructure;

/// <summary>Sends one text and one binary message to an echo endpoint and returns what came back.</summary>
internal static class EchoExchange
{
    public static async Task<(string Text, byte[] Binary, string? Extensions)> RunAsync(Uri uri, bool offerDeflate)
    {
        using var client = new ClientWebSocket();
        if (offerDeflate)
        {
            client.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        client.Options.CollectHttpResponseDetails = true;
        await client.ConnectAsync(uri, timeout.Token);
        string? extensions = client.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var values) == true
            ? string.Join(", ", values)
            : null;

        await client.SendAsync("hello from the package"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        string text = Encoding.UTF8.GetString(await ReceiveAsync(client, timeout.Token));

        byte[] payload = [0, 1, 2, 253, 254, 255];
        await client.SendAsync(payload, WebSocketMessageType.Binary, true, timeout.Token);
        byte[] binary = await ReceiveAsync(client, timeout.Token);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        return (text, binary, extensions);
    }

    private static async Task<byte[]> ReceiveAsync(ClientWebSocket client, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return message.ToArray();
            }
        }
    }
}
