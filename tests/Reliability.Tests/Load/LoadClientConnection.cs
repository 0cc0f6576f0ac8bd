using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// One client connection of the load run, as cheap as a correct client gets: a raw socket, a hand-written upgrade
/// request (the response and its <c>Sec-WebSocket-Accept</c> checked), then System.Net's WebSocket over the stream
/// (an implementation independent of ours, so both sides check each other). No buffer is held between phases.
/// </summary>
internal sealed class LoadClientConnection : IDisposable
{
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private readonly Socket _socket;
    private readonly WebSocket _webSocket;

    private LoadClientConnection(Socket socket, WebSocket webSocket)
    {
        _socket = socket;
        _webSocket = webSocket;
    }

    /// <summary>Connects and upgrades; throws with the server's answer when it is not a valid 101.</summary>
    public static async Task<LoadClientConnection> ConnectAsync(IPEndPoint server, string path, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var request = Encoding.ASCII.GetBytes(
                $"GET {path} HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, cancellationToken).ConfigureAwait(false);

            var head = await ReadResponseHeadAsync(socket, cancellationToken).ConfigureAwait(false);
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));
            if (!head.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal)
                || !head.Contains($"\r\nSec-WebSocket-Accept: {accept}\r\n", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"Not a valid upgrade response:\n{head}");
            }

            var webSocket = WebSocket.CreateFromStream(
                new NetworkStream(socket, ownsSocket: true),
                new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
            return new LoadClientConnection(socket, webSocket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends <paramref name="messages"/> numbered text messages back to back, then reads as many and checks each is
    /// the echo of the message sent in that position (nothing lost, duplicated or reordered).
    /// </summary>
    public async Task ExchangeAsync(int client, int messages, CancellationToken cancellationToken)
    {
        var sent = new string[messages];
        for (var i = 0; i < messages; i++)
        {
            // Sizes vary with the client and the position: 0 to 100 bytes of padding.
            sent[i] = $"{client}:{i}:{new string((char)('a' + (i % 26)), (client + (i * 37)) % 101)}";
            await _webSocket.SendAsync(Encoding.UTF8.GetBytes(sent[i]), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1024);
        try
        {
            for (var i = 0; i < messages; i++)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        throw new InvalidOperationException($"Client {client}: an echo longer than {buffer.Length} bytes.");
                    }

                    result = await _webSocket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType != WebSocketMessageType.Text)
                    {
                        throw new InvalidOperationException(
                            $"Client {client}: expected the echo of message {i}, got a {result.MessageType} message ({_webSocket.CloseStatus} {_webSocket.CloseStatusDescription}).");
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                var echo = Encoding.UTF8.GetString(buffer, 0, length);
                if (echo != sent[i])
                {
                    throw new InvalidOperationException($"Client {client}: expected the echo '{sent[i]}' in position {i}, got '{echo}'.");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Runs the close handshake with 1000 and checks the server answers 1000.</summary>
    public async Task CloseAsync(int client, CancellationToken cancellationToken)
    {
        await _webSocket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken).ConfigureAwait(false);
        if (_webSocket.CloseStatus != WebSocketCloseStatus.NormalClosure)
        {
            throw new InvalidOperationException($"Client {client}: the server answered the close with {_webSocket.CloseStatus}.");
        }
    }

    public void Dispose()
    {
        _webSocket.Dispose();
        _socket.Dispose();
    }

    // Reads up to the blank line ending the response head. The server sends nothing after a 101 until it receives
    // a message, so whatever arrives with the head and is not part of it is a protocol error.
    private static async Task<string> ReadResponseHeadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[1024];
        var length = 0;
        while (true)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidOperationException($"The server closed the connection during the upgrade after:\n{Encoding.ASCII.GetString(buffer, 0, length)}");
            }

            length += read;
            var head = Encoding.ASCII.GetString(buffer, 0, length);
            var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return end + 4 == length ? head : throw new InvalidOperationException($"Bytes after the upgrade response head:\n{head}");
            }

            if (length == buffer.Length)
            {
                throw new InvalidOperationException($"An upgrade response head longer than {buffer.Length} bytes:\n{head}");
            }
        }
    }
}
