using System.Net;
using System.Net.Sockets;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>A loopback port nobody listens on: bound with port 0, read, released.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
