namespace Annotated.WebSockets.Protocol;

/// The permessage-deflate (RFC 7692) parameters both ends agreed on in the opening handshake. "Server" parameters
/// govern what the server compresses (and the client decompresses), "client" ones the other direction.
internal sealed record class PerMessageDeflateParameters
{
    public bool ServerNoContextTakeover { get; init; }

    public bool ClientNoContextTakeover { get; init; }

    /// 9..15 in practice (see <see cref="PerMessageDeflateNegotiator"/> on why 8 is never agreed for a direction
    /// we compress); below 15 a server compresses through <see cref="ReducedWindowDeflater"/>.
    public int ServerMaxWindowBits { get; init; } = 15;

    public int ClientMaxWindowBits { get; init; } = 15;
}
