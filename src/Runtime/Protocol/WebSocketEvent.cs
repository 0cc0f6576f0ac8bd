namespace Annotated.WebSockets.Protocol;

/// One thing the engine delivers from <see cref="WebSocketEngine.ReceiveAsync"/>. A struct so that the hot path
/// (a data message) allocates nothing; the payload points into the engine's pooled buffers and is valid only until
/// the next receive. Text payloads are UTF-8 already validated; a part of a partial text message always ends on a
/// code point boundary (an incomplete sequence is carried into the next part).
internal readonly struct WebSocketEvent
{
    private WebSocketEvent(
        WebSocketEventKind kind,
        ReadOnlyMemory<byte> payload,
        bool endOfMessage,
        ushort closeCode,
        string closeReason,
        Exception? error,
        bool isLocallyInitiated)
    {
        Kind = kind;
        Payload = payload;
        EndOfMessage = endOfMessage;
        CloseCode = closeCode;
        CloseReason = closeReason;
        Error = error;
        IsLocallyInitiated = isLocallyInitiated;
    }

    public WebSocketEventKind Kind { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// Data: the last part of the message (always true when delivered whole). Control events: true.
    public bool EndOfMessage { get; }

    /// Close: the code to report locally (the peer's, 1005 when it sent none, 1006 when the transport died,
    /// 1002/1007/1009 when the engine failed the connection).
    public ushort CloseCode { get; }

    /// Close: the reason text, "" when none.
    public string CloseReason { get; }

    /// Close: non-null when the engine failed the connection (a <see cref="WebSocketProtocolException"/>) or the
    /// transport failed or timed out.
    public Exception? Error { get; }

    /// Close: true when our side started the close handshake (or failed the connection).
    public bool IsLocallyInitiated { get; }

    public static WebSocketEvent Data(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, bool endOfMessage) =>
        new(kind == WebSocketMessageKind.Text ? WebSocketEventKind.Text : WebSocketEventKind.Binary, payload, endOfMessage, 0, "", null, false);

    public static WebSocketEvent Control(WebSocketEventKind kind, ReadOnlyMemory<byte> payload) =>
        new(kind, payload, true, 0, "", null, false);

    public static WebSocketEvent Close(ushort code, string reason, Exception? error, bool isLocallyInitiated) =>
        new(WebSocketEventKind.Close, ReadOnlyMemory<byte>.Empty, true, code, reason, error, isLocallyInitiated);

    public override string ToString() => Kind == WebSocketEventKind.Close
        ? $"Close {CloseCode} '{CloseReason}'{(Error is null ? "" : " error: " + Error.Message)}"
        : $"{Kind} {Payload.Length} bytes{(EndOfMessage ? " (end)" : "")}";
}
