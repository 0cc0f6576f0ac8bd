namespace Annotated.WebSockets.Server;

/// <summary>
/// Whether and how the server accepts the permessage-deflate extension (RFC 7692) when a client offers it.
/// The server always compresses with a 32 KiB window (15 bits); an offer that asks it to use a smaller one
/// is declined, and the connection goes on uncompressed.
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
