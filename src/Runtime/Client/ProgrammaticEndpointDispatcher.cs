using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Client;

/// Adapts a programmatic <see cref="Endpoint"/> to the dispatcher the session drives, so annotated and
/// programmatic endpoints share one session implementation. A programmatic endpoint receives messages through the
/// handlers it registers with session.AddMessageHandler (typically in OnOpen); the definition itself declares no
/// text or binary delivery, so a message of a kind with no registered handler closes the session with 1003.
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
