using Annotated.WebSockets;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the annotated WebSocket server.</summary>
public static class AnnotatedWebSocketsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the WebSocket server container (<see cref="IServerContainer"/>), its options and the routing
    /// rules its endpoints need. Map the endpoints with <c>app.MapAnnotatedWebSockets()</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="configure">Sets the server's limits and timeouts; see <see cref="AnnotatedWebSocketsOptions"/> for the defaults.</param>
    /// <returns>A builder on <paramref name="services"/>, for the server's extensions (a backplane, for instance).</returns>
    public static IAnnotatedWebSocketsBuilder AddAnnotatedWebSockets(this IServiceCollection services, Action<AnnotatedWebSocketsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AnnotatedWebSocketsOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.AddRouting();
        services.TryAddSingleton(static provider => new ServerSessionTracker(
            provider.GetService<IHostApplicationLifetime>(),
            provider.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategories.Server),
            provider.GetService<TimeProvider>()));
        // Drains the sessions when the host stops, before the web server's own stop (see ShutdownDrainTimeout).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServerShutdownService>());
        // Applies HandshakeTimeout to Kestrel's RequestHeadersTimeout when it is set.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<KestrelServerOptions>, KestrelHandshakeTimeoutSetup>());
        services.TryAddSingleton<IWebSocketUserIdProvider, NameIdentifierUserIdProvider>();
        services.TryAddSingleton(static provider => new WebSocketGroups(
            provider.GetRequiredService<IOptions<AnnotatedWebSocketsOptions>>().Value.Groups,
            provider.GetRequiredService<IWebSocketUserIdProvider>(),
            provider.GetService<WebSocketBackplane>()));
        services.TryAddSingleton<ServerContainer>();
        services.TryAddSingleton<IServerContainer>(static provider => provider.GetRequiredService<ServerContainer>());
        services.TryAddSingleton<ISessionActivity>(static provider => provider.GetRequiredService<ServerContainer>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ServerEndpointMatcherPolicy>());
        return new Builder(services);
    }

    private sealed class Builder(IServiceCollection services) : IAnnotatedWebSocketsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
