using System.Net.WebSockets;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>Bounded send/receive helpers for <see cref="ClientWebSocket"/> in tests.</summary>
internal static class ClientExtensions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task SendTextAsync(this WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    public static Task SendBinaryAsync(this WebSocket socket, byte[] data) =>
        socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Receives one whole message (or the close).</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(this WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(Timeout);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    public static async Task<string> ReceiveTextAsync(this WebSocket socket)
    {
        var (type, data) = await socket.ReceiveMessageAsync();
        Assert.Equal(WebSocketMessageType.Text, type);
        return Encoding.UTF8.GetString(data);
    }

    /// <summary>Reads until the server's close frame arrives, answers it (finishing the handshake) and returns its status.</summary>
    public static async Task<(WebSocketCloseStatus? Status, string? Description)> ReceiveCloseAsync(this WebSocket socket)
    {
        for (var i = 0; i < 100; i++)
        {
            var (type, _) = await socket.ReceiveMessageAsync();
            if (type == WebSocketMessageType.Close)
            {
                var status = (socket.CloseStatus, socket.CloseStatusDescription);
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
                }

                return status;
            }
        }

        throw new InvalidOperationException("No close frame after 100 messages.");
    }
}
