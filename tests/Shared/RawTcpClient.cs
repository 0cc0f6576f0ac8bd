using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>
/// A WebSocket client played by hand over a real TCP socket, for tests that misbehave on purpose: it writes the
/// upgrade request and frames byte by byte (through <see cref="Peer"/>), can stop reading, trickle bytes, reset the
/// connection or vanish, and parses what the server writes independently of the engine.
/// </summary>
internal sealed class RawTcpClient : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private RawTcpClient(Socket socket, NetworkStream stream)
    {
        Socket = socket;
        Stream = stream;
    }

    /// <summary>The TCP socket (for resets, shutdowns and receive-buffer settings).</summary>
    public Socket Socket { get; }

    /// <summary>The socket's stream, for writing bytes that are not frames (a trickled handshake, say).</summary>
    public NetworkStream Stream { get; }

    /// <summary>The HTTP status line and headers the server answered the upgrade with, once <see cref="UpgradeAsync"/> ran.</summary>
    public string ResponseHead { get; private set; } = "";

    /// <summary>The status code of <see cref="ResponseHead"/>.</summary>
    public int StatusCode => ResponseHead.Length >= 12 && int.TryParse(ResponseHead.AsSpan(9, 3), out var code) ? code : 0;

    /// <summary>The frame reader and writer over the connection (masks, as a client must); valid after a 101.</summary>
    public RawPeer Peer { get; private set; } = null!;

    /// <summary>Opens a TCP connection to the server without sending anything.</summary>
    /// <param name="receiveBufferSize">When positive, the socket's kernel receive buffer, set before connecting
    /// (small values make a peer that stops reading push back on the server quickly).</param>
    public static async Task<RawTcpClient> ConnectTcpAsync(Uri server, int receiveBufferSize = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize > 0)
        {
            socket.ReceiveBufferSize = receiveBufferSize;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port)).WaitAsync(Timeout);
        return new RawTcpClient(socket, new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>Connects and completes the WebSocket upgrade for <paramref name="pathAndQuery"/>; asserts a 101.</summary>
    public static async Task<RawTcpClient> ConnectAsync(Uri server, string pathAndQuery, int receiveBufferSize = 0, params string[] extraHeaders)
    {
        var client = await ConnectTcpAsync(server, receiveBufferSize);
        await client.UpgradeAsync(pathAndQuery, extraHeaders);
        Assert.True(client.StatusCode == 101, $"Expected 101 Switching Protocols, got:\n{client.ResponseHead}");
        return client;
    }

    /// <summary>The upgrade request bytes for <paramref name="pathAndQuery"/> with the extra header lines.</summary>
    public static byte[] UpgradeRequest(Uri server, string pathAndQuery, params string[] extraHeaders)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder()
            .Append("GET ").Append(pathAndQuery).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append("Sec-WebSocket-Key: ").Append(key).Append("\r\n")
            .Append("Sec-WebSocket-Version: 13\r\n");
        foreach (var header in extraHeaders)
        {
            request.Append(header).Append("\r\n");
        }

        return Encoding.ASCII.GetBytes(request.Append("\r\n").ToString());
    }

    /// <summary>
    /// Sends the upgrade request and reads the response head (up to the blank line, byte by byte so no frame byte
    /// is consumed); on a 101 the connection then speaks frames through <see cref="Peer"/>.
    /// </summary>
    public async Task UpgradeAsync(string pathAndQuery, params string[] extraHeaders)
    {
        var endpoint = (IPEndPoint)Socket.RemoteEndPoint!;
        await Stream.WriteAsync(UpgradeRequest(new Uri($"http://127.0.0.1:{endpoint.Port}"), pathAndQuery, extraHeaders)).AsTask().WaitAsync(Timeout);
        ResponseHead = await ReadResponseHeadAsync();
        Peer = new RawPeer(new DuplexPipe(PipeReader.Create(Stream), PipeWriter.Create(Stream)), masks: true);
    }

    /// <summary>Reads an HTTP response head; empty when the server closed the connection first.</summary>
    public async Task<string> ReadResponseHeadAsync()
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            int read = await Stream.ReadAsync(one).AsTask().WaitAsync(Timeout);
            if (read == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return head.ToString();
    }

    /// <summary>True when the server ends the connection (reading returns 0 or the socket is reset) within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                if (await Stream.ReadAsync(buffer, cts.Token) == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Ends the connection with a TCP reset (RST) instead of an orderly FIN, as a crashed peer or a middlebox would.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Close();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stream.Dispose();
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
