namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// The names of the runtime's meters and activity sources, stable across versions: listen with
/// <c>AddMeter(WebSocketTelemetry.ServerMeterName)</c> (or <c>"Annotated.WebSockets.*"</c>) and
/// <c>AddSource(WebSocketTelemetry.ServerActivitySourceName)</c>. Every instrument and span is listed in docs/OBSERVABILITY.md.
/// </summary>
public static class WebSocketTelemetry
{
    /// <summary>The server container's meter; its instruments start with <c>annotated_websockets.server.</c>.</summary>
    public const string ServerMeterName = "Annotated.WebSockets.Server";

    /// <summary>The client container's meter; its instruments start with <c>annotated_websockets.client.</c>.</summary>
    public const string ClientMeterName = "Annotated.WebSockets.Client";

    /// <summary>The server's spans: one short root span per open, message handler call, error and close, linked to the upgrade request.</summary>
    public const string ServerActivitySourceName = "Annotated.WebSockets.Server";

    /// <summary>The client's spans: the connect (which carries <c>traceparent</c> to the server) and the handler calls.</summary>
    public const string ClientActivitySourceName = "Annotated.WebSockets.Client";
}
