using System.Net.WebSockets;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// Speaks SignalR's JSON hub protocol over a raw WebSocket (skipNegotiation: WebSockets transport only), so the client
/// side costs the same as for the other servers: handshake <c>{"protocol":"json","version":1}</c>, then per message an
/// invocation of <c>Echo</c> and a wait for its completion. Records end with 0x1E; server pings (type 6) are skipped.
/// </summary>
internal sealed class SignalREchoConnection : IEchoConnection
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] CompletionMarker = Encoding.UTF8.GetBytes("\"type\":3");

    private readonly ClientWebSocket _socket;
    private readonly byte[] _invocation;
    private readonly int _messageLength;
    private byte[] _receive;
    private int _buffered;
    private int _consumed;

    private SignalREchoConnection(ClientWebSocket socket, ReadOnlySpan<byte> message)
    {
        _socket = socket;
        _messageLength = message.Length;
        // The message is ASCII letters (the tool makes it), so it needs no JSON escaping.
        _invocation = [.. "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Echo\",\"arguments\":[\""u8, .. message, .. "\"]}\u001e"u8];
        _receive = new byte[message.Length + 1024];
    }

    public static async Task<IEchoConnection> ConnectAsync(Uri uri, HttpMessageInvoker invoker, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, invoker, cancellationToken).ConfigureAwait(false);
            var connection = new SignalREchoConnection(socket, message.Span);
            await socket.SendAsync(Handshake, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            ReadOnlyMemory<byte> response = await connection.ReadRecordAsync(cancellationToken).ConfigureAwait(false);
            if (response.Span.IndexOf("\"error\""u8) >= 0)
            {
                throw new InvalidOperationException("SignalR handshake failed: " + Encoding.UTF8.GetString(response.Span));
            }

            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask EchoAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(_invocation, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            ReadOnlyMemory<byte> record = await ReadRecordAsync(cancellationToken).ConfigureAwait(false);
            if (record.Span.IndexOf(CompletionMarker) < 0)
            {
                continue;   // a ping or another message kind
            }

            if (record.Length < _messageLength || record.Span.IndexOf("\"error\""u8) >= 0)
            {
                throw new InvalidOperationException("Unexpected completion: " + Encoding.UTF8.GetString(record.Span[..Math.Min(200, record.Length)]));
            }

            return;
        }
    }

    // Returns the next record (without its separator); it stays valid until the next call, which first drops it.
    private async ValueTask<ReadOnlyMemory<byte>> ReadRecordAsync(CancellationToken cancellationToken)
    {
        if (_consumed > 0)
        {
            _receive.AsSpan(_consumed, _buffered - _consumed).CopyTo(_receive);
            _buffered -= _consumed;
            _consumed = 0;
        }

        while (true)
        {
            int end = _receive.AsSpan(0, _buffered).IndexOf(RecordSeparator);
            if (end >= 0)
            {
                _consumed = end + 1;
                return _receive.AsMemory(0, end);
            }

            if (_buffered == _receive.Length)
            {
                Array.Resize(ref _receive, _receive.Length * 2);
            }

            ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(_receive.AsMemory(_buffered), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription}).");
            }

            _buffered += result.Count;
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
