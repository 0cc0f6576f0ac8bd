using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// One member of a fan-out room: a WebSocket client on a plain socket, so that 10,000 of them cost the tool little and
/// every server faces the same client code. It does the opening handshake by hand, reads the server's (unmasked)
/// frames in 4 KiB reads and finds the tool's messages in them: a whole text frame per message for the annotated
/// servers, a record (ending with 0x1E) of SignalR's JSON hub protocol for SignalR, where one frame may carry several.
/// A message of the tool starts with 'T', 16 hex digits of the sender's Stopwatch timestamp and 8 of its sequence
/// number; nothing else the servers send (SignalR's handshake answer, completions and pings) has an upper-case T.
/// </summary>
internal sealed class FanoutConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private readonly Socket _socket;
    private readonly bool _signalR;
    private readonly IFanoutSink _sink;
    private readonly byte[] _buffer = new byte[4096];
    private readonly byte[] _header = new byte[10];
    private byte[] _message = new byte[256];
    private int _messageLength;
    private int _headerLength;
    private long _payloadLeft;
    private bool _inPayload;
    private bool _fin;
    private int _opcode;
    private int _otherMessages;

    private FanoutConnection(Socket socket, bool signalR, IFanoutSink sink)
    {
        _socket = socket;
        _signalR = signalR;
        _sink = sink;
    }

    /// <summary>The tool's messages this member received (read by the measurement between phases).</summary>
    public long Received;

    /// <summary>Socket reads that returned data: messages per read shows how much the server put in one send.</summary>
    public long Reads;

    /// <summary>Delivery latencies (Stopwatch ticks) of the messages sent in the measured window, when it records them.</summary>
    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Which node of a scale-out run the member is connected to (0: the sender's node).</summary>
    public int Node { get; set; }

    /// <summary>The socket's local port (to find it in /proc/net/tcp).</summary>
    public int LocalPort => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>
    /// Connects, upgrades to WebSocket and, for SignalR, does the hub handshake and joins <paramref name="room"/> (waiting
    /// for the completion). <paramref name="receiveBufferBytes"/> sets SO_RCVBUF before connecting (the stalled member).
    /// </summary>
    public static async Task<FanoutConnection> ConnectAsync(int port, string path, bool signalR, string room, IFanoutSink sink, int? receiveBufferBytes, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferBytes is { } bytes)
            {
                socket.ReceiveBufferSize = bytes;
            }

            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken).ConfigureAwait(false);
            var connection = new FanoutConnection(socket, signalR, sink);
            await connection.UpgradeAsync(port, path, cancellationToken).ConfigureAwait(false);
            if (signalR)
            {
                await connection.SendAsync(Frame("{\"protocol\":\"json\",\"version\":1}\u001e"u8), cancellationToken).ConfigureAwait(false);
                await connection.ReadOthersAsync(1, cancellationToken).ConfigureAwait(false);
                await connection.SendAsync(Frame(Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"1\",\"target\":\"Join\",\"arguments\":[\"{room}\"]}}\u001e")), cancellationToken).ConfigureAwait(false);
                await connection.ReadOthersAsync(2, cancellationToken).ConfigureAwait(false);
            }

            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads until the socket ends or fails (the measurement disposes it); never throws.</summary>
    public async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                Reads++;
                Feed(_buffer.AsSpan(0, read), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Disposed at the end of the measurement, or the server closed it.
        }
    }

    /// <summary>Sends bytes as they are: a frame made by <see cref="Frame"/>, or the handshake request.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        int sent = 0;
        while (sent < frame.Length)
        {
            sent += await _socket.SendAsync(frame[sent..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Builds a client text frame around <paramref name="payload"/>: header and a zero mask key (valid, and the payload goes as it is).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        int header = payload.Length < 126 ? 6 : 8;
        byte[] frame = new byte[header + payload.Length];
        frame[0] = 0x81;
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), checked((ushort)payload.Length));
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return default;
    }

    private async Task UpgradeAsync(int port, string path, CancellationToken cancellationToken)
    {
        byte[] request = Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        await SendAsync(request, cancellationToken).ConfigureAwait(false);
        int filled = 0;
        while (true)
        {
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The server closed the connection during the opening handshake.");
            }

            filled += read;
            int end = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end < 0)
            {
                if (filled == _buffer.Length)
                {
                    throw new IOException("The handshake response is too long.");
                }

                continue;
            }

            if (!_buffer.AsSpan(0, filled).StartsWith("HTTP/1.1 101"u8))
            {
                throw new IOException("Upgrade refused: " + Encoding.ASCII.GetString(_buffer, 0, Math.Min(filled, 200)));
            }

            // Frames that came with the response belong to the stream.
            Feed(_buffer.AsSpan(end + 4, filled - end - 4), Stopwatch.GetTimestamp());
            return;
        }
    }

    // Reads until `count` messages without the tool's marker have come (SignalR's handshake answer, a completion).
    private async Task ReadOthersAsync(int count, CancellationToken cancellationToken)
    {
        while (_otherMessages < count)
        {
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The server closed the connection during the SignalR handshake.");
            }

            Feed(_buffer.AsSpan(0, read), Stopwatch.GetTimestamp());
        }
    }

    private void Feed(ReadOnlySpan<byte> data, long now)
    {
        while (!data.IsEmpty)
        {
            if (!_inPayload)
            {
                // The header of a server frame: 2 bytes, then 2 or 8 of extended length; never a mask.
                _header[_headerLength++] = data[0];
                data = data[1..];
                if (_headerLength < 2)
                {
                    continue;
                }

                int lengthCode = _header[1] & 0x7F;
                int needed = lengthCode == 126 ? 4 : lengthCode == 127 ? 10 : 2;
                if (_headerLength < needed)
                {
                    continue;
                }

                _fin = (_header[0] & 0x80) != 0;
                _opcode = _header[0] & 0x0F;
                _payloadLeft = lengthCode switch
                {
                    126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
                    127 => (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)),
                    _ => lengthCode,
                };
                _headerLength = 0;
                _inPayload = true;
                if (_payloadLeft == 0)
                {
                    EndFrame(now);
                }

                continue;
            }

            int take = (int)Math.Min(_payloadLeft, data.Length);
            ReadOnlySpan<byte> chunk = data[..take];
            data = data[take..];
            _payloadLeft -= take;
            if (_opcode is 0 or 1 or 2)
            {
                Data(chunk, frameEnd: _payloadLeft == 0 && _fin, now);
            }

            if (_payloadLeft == 0)
            {
                EndFrame(now);
            }
        }
    }

    private void EndFrame(long now)
    {
        _inPayload = false;
        if (_opcode == 8)
        {
            _sink.Closed();
        }
    }

    private void Data(ReadOnlySpan<byte> chunk, bool frameEnd, long now)
    {
        if (!_signalR)
        {
            if (_messageLength == 0 && frameEnd)
            {
                Message(chunk, now);
                return;
            }

            Append(chunk);
            if (frameEnd)
            {
                Message(_message.AsSpan(0, _messageLength), now);
                _messageLength = 0;
            }

            return;
        }

        while (!chunk.IsEmpty)
        {
            int end = chunk.IndexOf(RecordSeparator);
            if (end < 0)
            {
                Append(chunk);
                return;
            }

            if (_messageLength == 0)
            {
                Message(chunk[..end], now);
            }
            else
            {
                Append(chunk[..end]);
                Message(_message.AsSpan(0, _messageLength), now);
                _messageLength = 0;
            }

            chunk = chunk[(end + 1)..];
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_messageLength + bytes.Length > _message.Length)
        {
            Array.Resize(ref _message, Math.Max(_message.Length * 2, _messageLength + bytes.Length));
        }

        bytes.CopyTo(_message.AsSpan(_messageLength));
        _messageLength += bytes.Length;
    }

    private void Message(ReadOnlySpan<byte> message, long now)
    {
        int marker = message.IndexOf((byte)'T');
        if (marker < 0 || message.Length - marker < 1 + 16 + 8)
        {
            _otherMessages++;
            return;
        }

        long timestamp = long.Parse(message.Slice(marker + 1, 16), System.Globalization.NumberStyles.AllowHexSpecifier, null);
        uint sequence = uint.Parse(message.Slice(marker + 17, 8), System.Globalization.NumberStyles.AllowHexSpecifier, null);
        Received++;
        _sink.Delivered(this, timestamp, sequence, now);
    }
}

/// <summary>What a fan-out measurement does with each message a member receives.</summary>
internal interface IFanoutSink
{
    void Delivered(FanoutConnection member, long sentTimestamp, uint sequence, long receivedTimestamp);

    void Closed();
}
