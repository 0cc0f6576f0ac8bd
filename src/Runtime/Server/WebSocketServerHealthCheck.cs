using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Readiness of the WebSocket server ("send me new upgrades"): Unhealthy while it drains on shutdown, Degraded at 90 %
/// of <see cref="AnnotatedWebSocketsOptions.MaxConcurrentConnections"/> or when a session's send queue timed out within
/// the last minute (a peer that stops reading), Healthy otherwise; the result's data has the active connections, the
/// limit and whether it drains. Never use it for liveness: a restart for a full server would drop every socket.
/// </summary>
internal sealed class WebSocketServerHealthCheck(ServerContainer container, IHostApplicationLifetime? lifetime) : IHealthCheck
{
    private static readonly TimeSpan SendQueueTimeoutWindow = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var admission = container.Admission;
        var draining = container.Sessions.IsStopping || lifetime?.ApplicationStopping.IsCancellationRequested == true;
        var active = admission.Active;
        var limit = admission.Limit;
        var clock = container.SessionContext.Clock;
        var lastTimeout = Volatile.Read(ref container.SessionContext.LastSendQueueTimeout);
        var recentTimeout = lastTimeout != 0 && clock.GetElapsedTime(lastTimeout) < SendQueueTimeoutWindow;
        var data = new Dictionary<string, object>
        {
            ["active"] = active,
            ["limit"] = limit,
            ["draining"] = draining,
            ["sendQueueTimeoutWithinLastMinute"] = recentTimeout,
        };

        HealthCheckResult result;
        if (draining)
        {
            result = HealthCheckResult.Unhealthy("The WebSocket server is draining for shutdown: it takes no new sessions.", data: data);
        }
        else if (limit > 0 && active >= limit * 0.9)
        {
            result = HealthCheckResult.Degraded($"The WebSocket server has {active} of at most {limit} connections (MaxConcurrentConnections).", data: data);
        }
        else if (recentTimeout)
        {
            result = HealthCheckResult.Degraded("A WebSocket session was closed within the last minute because its peer stopped reading (SendQueueTimeout).", data: data);
        }
        else
        {
            result = HealthCheckResult.Healthy($"The WebSocket server takes sessions ({active} open).", data);
        }

        return Task.FromResult(result);
    }
}
