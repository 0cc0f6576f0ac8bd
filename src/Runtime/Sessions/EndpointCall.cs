namespace Annotated.WebSockets.Sessions;

/// <summary>Which call into user code a session makes: what the one invocation path is told, for error routing and later for telemetry.</summary>
internal enum EndpointCall
{
    /// <summary>The coders' <see cref="ICoder.Init"/>, before OnOpen.</summary>
    InitializeCoders,

    /// <summary>The OnOpen method.</summary>
    Open,

    /// <summary>A text handler (whole, part, <see cref="Utf8Text"/>, or a stream fed while the message arrives).</summary>
    Text,

    /// <summary>A binary handler (whole, part, or a stream).</summary>
    Binary,

    /// <summary>A pong handler.</summary>
    Pong,

    /// <summary>The OnError method.</summary>
    Error,

    /// <summary>The OnClose method.</summary>
    Close,

    /// <summary>The coders' <see cref="ICoder.Destroy"/>, after OnClose.</summary>
    DestroyCoders,
}
