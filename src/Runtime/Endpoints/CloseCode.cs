namespace Annotated.WebSockets;

/// <summary>
/// WebSocket close status codes (RFC 6455 §7.4). Values 3000–4999 are application codes and may be used
/// by casting: <c>(CloseCode)4000</c>. <see cref="NoStatusReceived"/>, <see cref="ClosedAbnormally"/> and
/// <see cref="TlsHandshakeFailure"/> are reported locally but never sent on the wire.
/// </summary>
public enum CloseCode
{
    /// <summary>1000: the purpose of the connection has been fulfilled.</summary>
    NormalClosure = 1000,
    /// <summary>1001: the endpoint is going away (server shutdown, page navigation).</summary>
    GoingAway = 1001,
    /// <summary>1002: the peer violated the protocol.</summary>
    ProtocolError = 1002,
    /// <summary>1003: the endpoint cannot accept this kind of data.</summary>
    CannotAccept = 1003,
    /// <summary>1004: reserved.</summary>
    Reserved = 1004,
    /// <summary>1005: no status code was present in the close frame (never sent).</summary>
    NoStatusReceived = 1005,
    /// <summary>1006: the connection closed without a close frame (never sent).</summary>
    ClosedAbnormally = 1006,
    /// <summary>1007: a message's data was not consistent with its type (for example invalid UTF-8).</summary>
    NotConsistent = 1007,
    /// <summary>1008: a message violated the endpoint's policy.</summary>
    ViolatedPolicy = 1008,
    /// <summary>1009: a message was too big to process.</summary>
    TooBig = 1009,
    /// <summary>1010: the client expected an extension the server did not negotiate.</summary>
    NoExtension = 1010,
    /// <summary>1011: the server met an unexpected condition.</summary>
    UnexpectedCondition = 1011,
    /// <summary>1012: the service is restarting.</summary>
    ServiceRestart = 1012,
    /// <summary>1013: try again later.</summary>
    TryAgainLater = 1013,
    /// <summary>1014: a gateway or proxy received an invalid response upstream.</summary>
    BadGateway = 1014,
    /// <summary>1015: the TLS handshake failed (never sent).</summary>
    TlsHandshakeFailure = 1015,
}
