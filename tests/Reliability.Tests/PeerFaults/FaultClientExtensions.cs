using System.Net.WebSockets;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>Bounded round trips of a well-behaved <see cref="ClientWebSocket"/>.</summary>
internal static class FaultClientExtensions
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Sends a text message and returns the next text message the server sends.</summary>
    public static async Task<string> EchoTextAsync(this WebSocket socket, string text)
    {
        await socket.SendTextAsync(text);
        return await socket.ReceiveTextAsync();
    }

    /// <summary>Closes with 1000 and waits for the server's answer (the full close handshake).</summary>
    public static Task CloseNormallyAsync(this WebSocket socket) =>
        socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(Bound);
}
