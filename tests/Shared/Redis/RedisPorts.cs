using System.Net;
using System.Net.Sockets;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// Free loopback ports for servers started as child processes: the OS picks one (bind 127.0.0.1:0, read, close), and
/// this process never hands the same port out twice while it is reserved, so a server stopped for a while keeps its
/// port against the other tests of this run. Another process may still take the port between the probe and the
/// server's bind: callers retry with a fresh port when the server reports "Address already in use".
/// </summary>
internal static class RedisPorts
{
    private static readonly HashSet<int> s_reserved = [];

    /// <summary>A port nobody listened on a moment ago, reserved in this process until <see cref="Release"/>.</summary>
    public static int Reserve()
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port;
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            }

            lock (s_reserved)
            {
                if (s_reserved.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException("No free loopback port found in 100 attempts.");
    }

    /// <summary>Ends the reservation of <paramref name="port"/>.</summary>
    public static void Release(int port)
    {
        lock (s_reserved)
        {
            s_reserved.Remove(port);
        }
    }
}
