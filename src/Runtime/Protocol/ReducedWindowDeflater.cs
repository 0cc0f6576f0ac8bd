using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Annotated.WebSockets.Protocol;

/// Raw deflate with an LZ77 window of 9–14 bits, for a server whose client offered server_max_window_bits below 15
/// (RFC 7692 §7.1.2.1).
///
/// System.IO.Compression has no window-size control on net8.0 or net10.0 (DeflateStream always deflates with -15;
/// ZLibCompressionOptions has only level and strategy). System.Net.WebSockets' own permessage-deflate does honour
/// any window from 9 to 15 (WebSocketDeflateOptions.ServerMaxWindowBits), with the same in-box zlib. So this drives a
/// server-role WebSocket over a stream that only collects what it writes, and takes the payload out of each frame it
/// writes: one frame per SendAsync, unmasked (server role), with a 2, 4 or 10 byte header. That payload is by
/// definition what RFC 7692 §7.2.1 asks of a server that agreed to the window: each part sync-flushed, the
/// 0x00 0x00 0xFF 0xFF tail removed at the end of a message, the window kept across messages unless there is no
/// context takeover (then the socket's deflater starts afresh per message).
///
/// Fixed by System.Net.WebSockets, not by us: zlib's default level (6) and memLevel 8; the engine's CompressionLevel
/// does not apply. What that costs and saves is measured in docs/PERFORMANCE.md (permessage-deflate window bits).
///
/// Synchronous: the collecting stream completes every write and flush at once, and the engine never compresses from
/// two threads at once (its send lock), so SendAsync has finished when it returns. If it ever had not (a runtime that
/// changes how ManagedWebSocket sends), Compress throws rather than block or lose bytes; a unit test pins this down.
internal sealed class ReducedWindowDeflater : IDisposable
{
    private readonly PooledSinkStream _sink = new();
    private readonly WebSocket _socket;

    public ReducedWindowDeflater(int windowBits, bool noContextTakeover)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowBits, 9);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowBits, 15);
        _socket = WebSocket.CreateFromStream(_sink, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,   // no timer: nothing is ever read or pinged on this socket
            DangerousDeflateOptions = new WebSocketDeflateOptions
            {
                ServerMaxWindowBits = windowBits,
                ServerContextTakeover = !noContextTakeover,
            },
        });
    }

    /// Compresses one part of a message. The result is valid until the next call.
    public ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> payload, bool endOfMessage)
    {
        _sink.Buffer.Clear();
        ValueTask send = _socket.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage, CancellationToken.None);
        if (!send.IsCompleted)
        {
            throw new InvalidOperationException("System.Net.WebSockets did not compress synchronously; the reduced-window deflater cannot be used on this runtime.");
        }

        send.GetAwaiter().GetResult();
        return PayloadOf(_sink.Buffer.WrittenMemory);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _sink.Buffer.Release();
    }

    /// The payload of the one unmasked frame in <paramref name="frame"/> (RFC 6455 §5.2).
    private static ReadOnlyMemory<byte> PayloadOf(ReadOnlyMemory<byte> frame)
    {
        ReadOnlySpan<byte> bytes = frame.Span;
        if (bytes.Length < 2 || (bytes[1] & 0x80) != 0)
        {
            throw new InvalidOperationException("System.Net.WebSockets wrote an unexpected frame.");
        }

        int lengthCode = bytes[1] & 0x7F;
        (int headerSize, long length) = lengthCode switch
        {
            126 when bytes.Length >= 4 => (4, BinaryPrimitives.ReadUInt16BigEndian(bytes[2..])),
            127 when bytes.Length >= 10 => (10, (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..])),
            < 126 => (2, lengthCode),
            _ => (0, -1L),
        };
        if (headerSize == 0 || length != bytes.Length - headerSize)
        {
            throw new InvalidOperationException("System.Net.WebSockets wrote an unexpected frame.");
        }

        return frame[headerSize..];
    }
}
