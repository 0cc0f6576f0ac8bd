namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// Tag names and the closed lists of tag values: close codes (standard ones as they are, application codes bucketed),
/// error types and message types. Values are made once, so recording boxes nothing.
/// </summary>
internal static class TelemetryTags
{
    public const string Route = "http.route";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string StatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
    public const string Direction = "network.io.direction";
    public const string MessageType = "annotated_websockets.message.type";
    public const string CloseCode = "annotated_websockets.close.code";
    public const string CloseInitiator = "annotated_websockets.close.initiator";
    public const string Handler = "annotated_websockets.handler";
    public const string DropReason = "annotated_websockets.drop.reason";
    public const string RateLimitAction = "annotated_websockets.rate_limit.action";
    public const string SessionId = "annotated_websockets.session.id";
    public const string Subprotocol = "annotated_websockets.subprotocol";
    public const string Extensions = "annotated_websockets.extensions";

    public const string Receive = "receive";
    public const string Transmit = "transmit";

    private static readonly Dictionary<int, string> StandardCodes = new[]
    {
        1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015,
    }.ToDictionary(static code => code, static code => code.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A close code as a tag: the standard ones as they are; 3000–3999 as <c>3xxx</c>, 4000–4999 as <c>4xxx</c>, anything else <c>_OTHER</c>.</summary>
    public static string Code(int code) => StandardCodes.TryGetValue(code, out var text) ? text : code switch
    {
        >= 3000 and <= 3999 => "3xxx",
        >= 4000 and <= 4999 => "4xxx",
        _ => "_OTHER",
    };

    /// <summary>The error type of a session's end, from its close code and who closed (null for a normal end).</summary>
    public static string? CloseErrorType(int code, bool closedHere) => code switch
    {
        1000 or 1001 or 1005 => null,
        1002 => "protocol_error",
        1003 => "unsupported_data",
        1006 => "connection_reset",
        1007 => "invalid_payload",
        1008 => closedHere ? "policy_violation" : "peer_policy_violation",
        1009 => "message_too_big",
        1011 => closedHere ? "handler_error" : "peer_error",
        1015 => "tls_failure",
        _ => closedHere ? "closed_by_server" : "closed_by_peer",
    };

    /// <summary>The error type of a failed handler: a closed list, the exception's own type name is on the span.</summary>
    public static string HandlerErrorType(Exception error) => error switch
    {
        DecodeException => "decode_error",
        EncodeException => "encode_error",
        OperationCanceledException => "canceled",
        TimeoutException => "timeout",
        IOException => "io_error",
        _ => "exception",
    };
}
