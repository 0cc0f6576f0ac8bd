namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// Which spans the server makes. Spans are made only while an <c>ActivityListener</c> listens to
/// <see cref="WebSocketTelemetry.ServerActivitySourceName"/> and samples them; these settings turn off the per-message
/// spans of chatty endpoints (open, error and close spans stay).
/// </summary>
public sealed class WebSocketTelemetryOptions
{
    /// <summary>Whether each message handler call gets a span. Default true.</summary>
    public bool MessageSpans { get; set; } = true;

    /// <summary>
    /// Whether accepted upgrades stay in ASP.NET Core's <c>http.server.request.duration</c>, where their duration is the
    /// socket's whole life. Default false: on .NET 9 and later they are taken out (refused handshakes stay in it);
    /// on .NET 8, which cannot, they are tagged <c>annotated_websockets.upgraded=true</c>.
    /// </summary>
    public bool KeepUpgradesInHostingMetrics { get; set; }

    /// <summary>Route templates (for example <c>"/ticks/{symbol}"</c>) whose message handler calls get no span.</summary>
    public ISet<string> EndpointsWithoutMessageSpans { get; } = new HashSet<string>(StringComparer.Ordinal);
}
