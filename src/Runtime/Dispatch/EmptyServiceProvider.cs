namespace Annotated.WebSockets.Dispatch;

/// The services handed to a generated endpoint factory when there is nothing to resolve: for a client container made
/// with <see cref="Client.WebSocketContainer.Create()"/>, and on the server for endpoints whose definition says they
/// use no services (see <see cref="AnnotatedEndpointDefinition.UsesServices"/>), which then need no DI scope.
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static EmptyServiceProvider Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
