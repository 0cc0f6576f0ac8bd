namespace Annotated.WebSockets.Dispatch;

/// Adapts a programmatic <see cref="Endpoint"/> (server side) to the dispatcher the session drives, so annotated
/// and programmatic endpoints share one session implementation. Its messages reach the handlers the endpoint
/// registers with <see cref="WebSocketSession.AddMessageHandler(MessageHandler)"/>; the definition declares no
/// text or binary delivery of its own, so a message with no handler closes the session with 1003.
internal sealed class ProgrammaticDispatcher(Endpoint endpoint) : EndpointDispatcher
{
    public override object Endpoint => endpoint;

    // Endpoint.OnError always exists (its default does nothing), so errors are the endpoint's to handle.
    public override bool HasErrorHandler => true;

    public override ValueTask OnOpenAsync(WebSocketSession session, EndpointConfig config) => new(endpoint.OnOpen(session, config));

    public override ValueTask OnCloseAsync(WebSocketSession session, CloseReason reason) => new(endpoint.OnClose(session, reason));

    public override ValueTask OnErrorAsync(WebSocketSession session, Exception error) => new(endpoint.OnError(session, error));

    /// The definition of a programmatic server endpoint deployed at <paramref name="path"/>.
    public static AnnotatedEndpointDefinition CreateDefinition(Type endpointType, string path, Func<IServiceProvider, Endpoint> factory) => new()
    {
        EndpointType = endpointType,
        Path = path,
        Text = MessageDelivery.None,
        Binary = MessageDelivery.None,
        CreateEndpoint = factory,
        CreateDispatcher = static instance => new ProgrammaticDispatcher((Endpoint)instance),
    };
}
