using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Protocol;

/// The one piece of the opening handshake both containers (server and client) need byte for byte:
/// Sec-WebSocket-Accept = base64(SHA-1(key + GUID)) (RFC 6455 §4.2.2).
internal static class WebSocketHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static string ComputeAcceptKey(string secWebSocketKey)
    {
        ArgumentNullException.ThrowIfNull(secWebSocketKey);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.ASCII.GetBytes(secWebSocketKey.Trim() + Guid), hash);
        return Convert.ToBase64String(hash);
    }

    /// A fresh Sec-WebSocket-Key: 16 random bytes, base64.
    public static string CreateClientKey()
    {
        Span<byte> key = stackalloc byte[16];
        RandomNumberGenerator.Fill(key);
        return Convert.ToBase64String(key);
    }
}
