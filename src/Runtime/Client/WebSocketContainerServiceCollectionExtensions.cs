using Annotated.WebSockets.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the WebSocket client container with dependency injection.</summary>
public static class WebSocketContainerServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="WebSocketContainer"/> (a singleton) that creates endpoints connected by type with
    /// the application's services and logs through its logger factory. The service provider disposes it, which
    /// closes its open sessions.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the container's defaults (timeouts, buffer sizes), or null.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddWebSocketContainer(this IServiceCollection services, Action<WebSocketContainer>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(provider =>
        {
            var container = WebSocketContainer.Create(provider);
            configure?.Invoke(container);
            return container;
        });
        return services;
    }
}
