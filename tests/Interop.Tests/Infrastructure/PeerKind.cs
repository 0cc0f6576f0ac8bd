namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>The independent WebSocket implementations the interop tests talk to.</summary>
public enum PeerKind
{
    /// <summary>The Node.js 'ws' library (npm), run by peers/*.mjs.</summary>
    NodeWs,

    /// <summary>The Python 'websockets' library (Debian python3-websockets), run by peers/*.py.</summary>
    PythonWebsockets,

    /// <summary>Node.js tools for the description: typescript, @asyncapi/parser and ajv (npm), run by peers/*.mjs.</summary>
    NodeTools,

    /// <summary>Headless Chromium (Debian chromium), driven by Playwright for .NET.</summary>
    Chromium,
}
