namespace Annotated.WebSockets.Diagnostics;

/// <summary>
/// The logger categories of the runtime, one per layer that logs. Filter on them in configuration
/// (<c>"Logging:LogLevel:Annotated.WebSockets.Sessions": "Debug"</c>); the event ids within them are in
/// <see cref="LogEvents"/>.
/// </summary>
public static class LoggerCategories
{
    /// <summary>Sessions: open, close, errors from endpoints, timeouts, stalled peers.</summary>
    public const string Sessions = "Annotated.WebSockets.Sessions";

    /// <summary>The server container: handshakes, admission, deployment, teardown, shutdown.</summary>
    public const string Server = "Annotated.WebSockets.Server";

    /// <summary>The client container: connecting, teardown, disposal.</summary>
    public const string Client = "Annotated.WebSockets.Client";
}
