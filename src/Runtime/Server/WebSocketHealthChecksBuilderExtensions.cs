using Annotated.WebSockets.Server;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the WebSocket server's readiness check to the application's health checks.</summary>
public static class WebSocketHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the readiness check of the WebSocket server: Unhealthy while it drains on shutdown, Degraded near its
    /// connection limit or after a send-queue timeout in the last minute. Tagged <c>ready</c> by default: map it on
    /// the readiness endpoint only (<c>MapHealthChecks("/healthz/ready", new() { Predicate = c =&gt; c.Tags.Contains("ready") })</c>),
    /// never on liveness.
    /// </summary>
    /// <param name="builder">The application's health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Its tags; <c>["ready"]</c> when null.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddWebSocketServerCheck(this IHealthChecksBuilder builder, string name = "websocket-server", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new WebSocketServerHealthCheck(provider.GetRequiredService<ServerContainer>(), provider.GetService<IHostApplicationLifetime>()),
            failureStatus: null,
            tags ?? ["ready"]));
    }
}
