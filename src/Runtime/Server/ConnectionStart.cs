using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Http;

namespace Annotated.WebSockets.Server;

/// <summary>What the upgrade hands to the connection to start its session once the 101 (or HTTP/2 200) went out.</summary>
internal readonly record struct ConnectionStart(
    HttpContext Context,
    ServerEndpointConfig Config,
    AnnotatedEndpointDefinition Definition,
    ServerEndpointConfig ConnectionConfig,
    SessionConnectionInfo Info,
    WebSocketEngineOptions EngineOptions);
