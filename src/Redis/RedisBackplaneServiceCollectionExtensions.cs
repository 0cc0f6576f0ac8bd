using Annotated.WebSockets;
using Annotated.WebSockets.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis backplane of Annotated.WebSockets.</summary>
public static class RedisBackplaneServiceCollectionExtensions
{
    /// <summary>The logger category of the Redis backplane.</summary>
    public const string LoggerCategory = "Annotated.WebSockets.Redis";

    /// <summary>
    /// Delivers groups, users and sessions across every node that uses the same Redis and <see cref="RedisBackplaneOptions.ChannelPrefix"/>.
    /// </summary>
    /// <param name="builder">What <c>AddAnnotatedWebSockets</c> returned.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, for example <c>"127.0.0.1:6379"</c>.</param>
    /// <param name="configure">Sets the other options (channel prefix, sharding, timeouts).</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IAnnotatedWebSocketsBuilder AddRedisBackplane(this IAnnotatedWebSocketsBuilder builder, string configuration, Action<RedisBackplaneOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddRedisBackplane(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>Delivers groups, users and sessions across nodes through Redis, with the options set by <paramref name="configure"/> (at least <see cref="RedisBackplaneOptions.Configuration"/>).</summary>
    /// <param name="builder">What <c>AddAnnotatedWebSockets</c> returned.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IAnnotatedWebSocketsBuilder AddRedisBackplane(this IAnnotatedWebSocketsBuilder builder, Action<RedisBackplaneOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisBackplaneOptions>().Configure(configure);
        services.TryAddSingleton(static provider => new RedisBackplane(
            provider.GetRequiredService<IOptions<RedisBackplaneOptions>>().Value,
            provider.GetService<ILoggerFactory>()?.CreateLogger(LoggerCategory) ?? NullLogger.Instance,
            provider.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<WebSocketBackplane>(static provider => provider.GetRequiredService<RedisBackplane>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RedisBackplaneHostedService>());
        return builder;
    }

    /// <summary>Adds a health check that is Degraded while the Redis backplane cannot reach Redis.</summary>
    /// <param name="builder">The application's health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="tags">Tags to filter the check by.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    public static IHealthChecksBuilder AddRedisBackplaneCheck(this IHealthChecksBuilder builder, string name = "websocket-redis-backplane", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RedisBackplaneHealthCheck>(name, HealthStatus.Degraded, tags ?? []);
    }
}
