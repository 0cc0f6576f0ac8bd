using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annotated.WebSockets.Redis;

/// <summary>
/// Reports <see cref="HealthStatus.Degraded"/> while the Redis backplane cannot reach Redis (the node still serves its
/// own sessions, so it is not unhealthy), with the reason and what the backplane counted; <see cref="HealthStatus.Healthy"/> otherwise.
/// Added with <c>AddRedisBackplaneCheck</c>.
/// </summary>
public sealed class RedisBackplaneHealthCheck : IHealthCheck
{
    private readonly RedisBackplane _backplane;

    /// <summary>Makes the check for <paramref name="backplane"/>.</summary>
    /// <param name="backplane">The node's backplane.</param>
    public RedisBackplaneHealthCheck(RedisBackplane backplane) => _backplane = backplane;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["node"] = _backplane.NodeId,
            ["gaps"] = _backplane.GapsDetected,
            ["publishFailures"] = _backplane.PublishFailures,
            ["malformedEnvelopes"] = _backplane.MalformedEnvelopes,
            ["subscriptionRenewals"] = _backplane.SubscriptionRenewals,
        };
        return Task.FromResult(_backplane.Problem is { } problem
            ? HealthCheckResult.Degraded($"The WebSocket backplane cannot reach Redis: {problem} Sessions on this node are served; other nodes' messages do not arrive.", data: data)
            : HealthCheckResult.Healthy("The WebSocket backplane is connected to Redis.", data));
    }
}
