using System.IO.Compression;

namespace Annotated.WebSockets.Protocol;

/// What the local side is willing to do for permessage-deflate (RFC 7692). Used for negotiation (server: which
/// offers to accept; client: what to offer) and, through <see cref="WebSocketEngineOptions.DeflateOptions"/>, for
/// how the engine compresses.
internal sealed class PerMessageDeflateOptions
{
    public bool Enabled { get; init; } = true;

    /// Server side: ask the server to reset its compressor per message (client: offer it; server: always answer it).
    public bool ServerNoContextTakeover { get; init; }

    /// Ask the client to reset its compressor per message (client: offer it; server: answer it).
    public bool ClientNoContextTakeover { get; init; }

    /// The largest LZ77 window (bits) the local side wants the server to use; below 15 it is requested/answered.
    public int ServerMaxWindowBits { get; init; } = 15;

    /// The largest window (bits) the local side wants the client to use; below 15 it is requested/answered.
    public int ClientMaxWindowBits { get; init; } = 15;

    /// Messages (sent whole) smaller than this many bytes go out uncompressed (RSV1 is per message).
    public int CompressionThreshold { get; init; }

    /// The zlib effort; Fastest keeps latency low, which is what a message protocol wants.
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Fastest;
}
