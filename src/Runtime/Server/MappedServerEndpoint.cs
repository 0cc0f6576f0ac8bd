using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Endpoint metadata of a mapped WebSocket endpoint: what the request delegate serves and what the matcher
/// policy checks the request path against.
/// </summary>
internal sealed class MappedServerEndpoint(ServerEndpointConfig config, AnnotatedEndpointDefinition definition, UriTemplate template)
{
    public ServerEndpointConfig Config { get; } = config;

    public AnnotatedEndpointDefinition Definition { get; } = definition;

    public UriTemplate Template { get; } = template;
}
