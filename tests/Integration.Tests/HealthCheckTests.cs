using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>The server's readiness check over real Kestrel: Healthy, Degraded near the connection limit, Unhealthy while it drains.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Readiness_is_degraded_near_the_connection_limit_and_unhealthy_while_draining()
    {
        var host = await KestrelHost.StartAsync(
            options => options.MaxConcurrentConnections = 2,
            services: services => services.AddHealthChecks().AddWebSocketServerCheck());
        var health = host.App.Services.GetRequiredService<HealthCheckService>();
        var ready = await health.CheckHealthAsync(static check => check.Tags.Contains("ready"));
        Assert.Equal(HealthStatus.Healthy, ready.Status);

        using var first = await host.ConnectAsync($"/it/echo/{Recorder.NewTestId()}");
        using var second = await host.ConnectAsync($"/it/echo/{Recorder.NewTestId()}");
        var full = (await health.CheckHealthAsync()).Entries["websocket-server"];
        Assert.Equal(HealthStatus.Degraded, full.Status);
        Assert.Equal(2, full.Data["active"]);
        Assert.Equal(2, full.Data["limit"]);

        var stopping = host.DisposeAsync().AsTask();
        var draining = (await health.CheckHealthAsync()).Entries["websocket-server"];
        Assert.Equal(HealthStatus.Unhealthy, draining.Status);
        Assert.Equal(true, draining.Data["draining"]);
        Assert.Contains("draining", draining.Description, StringComparison.Ordinal);
        await stopping;
    }
}
