using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>
/// A minimal HTTP proxy on 127.0.0.1 that serves CONNECT tunnels only (which is how SocketsHttpHandler sends ws
/// and wss through a proxy), and records each CONNECT target.
/// </summary>
internal sealed class TunnelProxy : IAsyncDisposable, IWebProxy
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TunnelProxy()
    {
        _listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Address { get; }

    public List<string> Requests { get; } = [];

    public ICredentials? Credentials { get; set; }

    // Unlike WebProxy, never bypassed for loopback, so the tests' local servers go through it.
    public Uri GetProxy(Uri destination) => Address;

    public bool IsBypassed(Uri host) => false;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = TunnelAsync(client);
        }
    }

    private async Task TunnelAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(one, _stop.Token) == 0)
                {
                    return;
                }

                head.Append((char)one[0]);
            }

            var requestLine = head.ToString()[..head.ToString().IndexOf('\r')];
            lock (Requests)
            {
                Requests.Add(requestLine);
            }

            var parts = requestLine.Split(' ');
            if (parts[0] != "CONNECT")
            {
                await stream.WriteAsync("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), _stop.Token);
                return;
            }

            var target = parts[1].Split(':');
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(target[0], int.Parse(target[1], System.Globalization.CultureInfo.InvariantCulture), _stop.Token);
            await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), _stop.Token);
            var upstreamStream = upstream.GetStream();
            try
            {
                await Task.WhenAny(stream.CopyToAsync(upstreamStream, _stop.Token), upstreamStream.CopyToAsync(stream, _stop.Token));
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
                // One side went away: the tunnel ends.
            }
        }
    }
}
