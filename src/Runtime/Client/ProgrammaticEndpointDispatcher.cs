using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Client;

/// Adapts a programmatic <see cref="Endpoint"/> to the dispatcher the session drives, so annotated and
/// programmatic endpoints share one session implementation. Messages need message handlers on the session;
/// without them the definition declares no text or binary delivery and the session refuses data with 1003.
internal sealed class ProgrammaticEndpointDispatcher(Endpoint endpoint) : EndpointDispatcher
{
    public override object Endpoint => endpoint;

    // Endpoint.OnError always exists (its default does nothing), so errors are the endpoint's to handle.
    public override bool HasErrorHandler => true;

    public override ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config) => new(endpoint.OnOpen(session, config));

    public override ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason) => new(endpoint.OnClose(session, reason));

    public override ValueTask OnErrorAsync(WebSocketSession session, Exception error) => new(endpoint.OnError(session, error));

    public static AnnotatedEndpointDefinition CreateDefinition(Endpoint endpoint) => new()
    {
        EndpointType = endpoint.GetType(),
        IsClientEndpoint = true,
        Text = MessageDelivery.None,
        Binary = MessageDelivery.None,
        CreateEndpoint = _ => endpoint,
        CreateDispatcher = static instance => new ProgrammaticEndpointDispatcher((Endpoint)instance),
    };
}
