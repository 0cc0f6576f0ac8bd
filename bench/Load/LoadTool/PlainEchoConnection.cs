using System.Net.WebSockets;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// A System.Net.WebSockets client that sends one text message and reads the echo (which may come back in several
/// frames). No permessage-deflate is offered, so every server sees the same uncompressed bytes.
/// </summary>
internal sealed class PlainEchoConnection : IEchoConnection
{
    private readonly ClientWebSocket _socket;
    private readonly ReadOnlyMemory<byte> _message;
    private readonly byte[] _receive;

    private PlainEchoConnection(ClientWebSocket socket, ReadOnlyMemory<byte> message)
    {
        _socket = socket;
        _message = message;
        _receive = new byte[Math.Max(message.Length, 1024)];
    }

    public static async Task<IEchoConnection> ConnectAsync(Uri uri, HttpMessageInvoker invoker, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
            return new PlainEchoConnection(socket, message);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask EchoAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(_message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        int total = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_receive.AsMemory(Math.Min(total, _receive.Length - 1)), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription}).");
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        if (total != _message.Length)
        {
            throw new InvalidOperationException($"The echo has {total} bytes, the message {_message.Length}.");
        }
    }

    public async Task CloseAsync(bool graceful)
    {
        if (graceful && _socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // Fall through to abort.
            }
        }

        _socket.Abort();
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return default;
    }
}
