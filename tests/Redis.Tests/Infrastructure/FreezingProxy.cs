using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Redis.Tests.Infrastructure;

/// <summary>
/// A TCP proxy on loopback in front of a Redis server that can make subscriber connections go silent: after
/// <see cref="FreezeSubscribers"/>, nothing more passes either way on every connection that has sent a SUBSCRIBE, and
/// nothing tells either end (no reset, no close): the half-dead connection of a failover or a stateful middlebox.
/// Connections opened later pass normally.
/// </summary>
public sealed class FreezingProxy : IAsyncDisposable
{
    private static readonly byte[] Subscribe = Encoding.ASCII.GetBytes("SUBSCRIBE");
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<Link> _links = [];
    private readonly CancellationTokenSource _stop = new();

    public FreezingProxy(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>Silences every subscriber connection open now; returns how many.</summary>
    public int FreezeSubscribers()
    {
        lock (_links)
        {
            var frozen = 0;
            foreach (var link in _links.Where(static link => link.Subscribed))
            {
                link.Frozen = true;
                frozen++;
            }

            return frozen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_links)
        {
            foreach (var link in _links)
            {
                link.Dispose();
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var link = new Link(client, server);
            lock (_links)
            {
                _links.Add(link);
            }

            _ = PumpAsync(link, client.GetStream(), server.GetStream(), fromClient: true);
            _ = PumpAsync(link, server.GetStream(), client.GetStream(), fromClient: false);
        }
    }

    private async Task PumpAsync(Link link, NetworkStream from, NetworkStream to, bool fromClient)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    link.Dispose();
                    return;
                }

                if (fromClient && buffer.AsSpan(0, read).IndexOf(Subscribe) >= 0)
                {
                    link.Subscribed = true;
                }

                if (!link.Frozen)
                {
                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            link.Dispose();
        }
    }

    private sealed class Link(TcpClient client, TcpClient server) : IDisposable
    {
        public volatile bool Subscribed;
        public volatile bool Frozen;

        public void Dispose()
        {
            client.Dispose();
            server.Dispose();
        }
    }
}
