namespace Annotated.WebSockets.Client;

/// The services a container made with <see cref="WebSocketContainer.Create()"/> hands to the generated
/// endpoint factories: none, so only endpoints with a parameterless constructor can be created from their type.
internal sealed class EmptyServiceProvider : IServiceProvider
{
    public static EmptyServiceProvider Instance { get; } = new();

    public object? GetService(Type serviceType) => null;
}
