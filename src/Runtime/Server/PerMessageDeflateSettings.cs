namespace Annotated.WebSockets.Server;

/// <summary>
/// Whether and how the server accepts the permessage-deflate extension (RFC 7692) when a client offers it.
/// The server compresses with a 32 KiB window (15 bits) unless the client's offer asks for a smaller one
/// (server_max_window_bits 9–14, as Node's ws and Autobahn clients may): the server then compresses with that
/// window, at zlib's default level, which takes less memory per connection and more CPU per message (see
/// docs/PERFORMANCE.md). An offer of 8 bits is declined: zlib cannot deflate with an 8-bit window.
/// </summary>
public sealed class PerMessageDeflateSettings
{
    private int _clientMaxWindowBits = 15;

    /// <summary>Whether the server accepts permessage-deflate offers. Default: false.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Whether the server resets its compressor after every message (less memory per connection, less
    /// compression). Default: false.
    /// </summary>
    public bool ServerNoContextTakeover { get; set; }

    /// <summary>Whether the server asks the client to reset its compressor after every message. Default: false.</summary>
    public bool ClientNoContextTakeover { get; set; }

    /// <summary>The largest LZ77 window, as a power of two (9–15), the client may compress with. Default: 15.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 9–15.</exception>
    public int ClientMaxWindowBits
    {
        get => _clientMaxWindowBits;
        set => _clientMaxWindowBits = WindowBits(value);
    }

    private static int WindowBits(int value) =>
        value is >= 9 and <= 15 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Window bits are between 9 and 15.");
}
