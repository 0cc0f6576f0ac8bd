namespace Annotated.WebSockets.Client;

/// <summary>
/// What a client offers for the permessage-deflate extension (RFC 7692). The extension is used only when the
/// server accepts the offer; a server that answers with parameters the offer does not allow fails the connection.
/// </summary>
public sealed class PerMessageDeflateOffer
{
    private readonly int _serverMaxWindowBits = 15;
    private readonly int _compressionThreshold;

    /// <summary>Asks the server to compress each message on its own (<c>server_no_context_takeover</c>).</summary>
    public bool ServerNoContextTakeover { get; init; }

    /// <summary>Compresses each outgoing message on its own and tells the server so (<c>client_no_context_takeover</c>).</summary>
    public bool ClientNoContextTakeover { get; init; }

    /// <summary>
    /// The largest compression window (in bits, 9 to 15) the server may use; below 15 it is offered as
    /// <c>server_max_window_bits</c>. The default is 15.
    /// </summary>
    public int ServerMaxWindowBits
    {
        get => _serverMaxWindowBits;
        init => _serverMaxWindowBits = value is >= 9 and <= 15
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Window bits are between 9 and 15.");
    }

    /// <summary>Outgoing messages shorter than this many bytes are sent uncompressed. The default is 0: all are compressed.</summary>
    public int CompressionThreshold
    {
        get => _compressionThreshold;
        init => _compressionThreshold = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The threshold cannot be negative.");
    }
}
