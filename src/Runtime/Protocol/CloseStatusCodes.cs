namespace Annotated.WebSockets.Protocol;

/// Close status codes (RFC 6455 §7.4) as the engine uses them, and which of them may travel on the wire.
internal static class CloseStatusCodes
{
    public const ushort NormalClosure = 1000;
    public const ushort GoingAway = 1001;
    public const ushort ProtocolError = 1002;
    public const ushort UnsupportedData = 1003;
    public const ushort NoStatusReceived = 1005;
    public const ushort AbnormalClosure = 1006;
    public const ushort InvalidPayloadData = 1007;
    public const ushort PolicyViolation = 1008;
    public const ushort MessageTooBig = 1009;
    public const ushort MandatoryExtension = 1010;
    public const ushort InternalServerError = 1011;

    /// 1004 (reserved), 1005, 1006 and 1015 exist only to be reported locally; 0–999 and 1016–2999 are unassigned
    /// or reserved for future RFCs; 3000–4999 belong to libraries and applications; above 4999 is undefined.
    public static bool IsValidOnWire(ushort code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);
}
