using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Server;

/// <summary>
/// Drains the WebSocket sessions when the host stops. It works in <see cref="IHostedLifecycleService.StoppingAsync"/>,
/// which the host runs before <c>ApplicationStopping</c> fires and before any hosted service's
/// <see cref="IHostedService.StopAsync"/>, with the host's shutdown timeout as its token: the web server's own stop
/// waits for in-flight requests (an upgraded WebSocket is one) until the host's shutdown timeout and then drops
/// them, so the drain must be over, and every close handler run, before it starts.
/// </summary>
internal sealed class ServerShutdownService(
    ServerSessionTracker tracker,
    IOptions<AnnotatedWebSocketsOptions> options,
    IOptions<HostOptions> hostOptions) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) =>
        tracker.ShutdownAsync(DrainTimeout(options.Value.ShutdownDrainTimeout, hostOptions.Value.ShutdownTimeout), cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The drain time actually used: the option, cut so that aborting the sessions left and running their close
    /// handlers (twice <see cref="ServerSessionTracker.AbortGrace"/>) still fits in the host's shutdown timeout.
    /// </summary>
    internal static TimeSpan DrainTimeout(TimeSpan configured, TimeSpan hostShutdownTimeout)
    {
        if (hostShutdownTimeout == Timeout.InfiniteTimeSpan || hostShutdownTimeout < TimeSpan.Zero)
        {
            return configured;
        }

        var available = hostShutdownTimeout - (ServerSessionTracker.AbortGrace * 2);
        if (available < TimeSpan.Zero)
        {
            available = TimeSpan.Zero;
        }

        return configured < available ? configured : available;
    }
}
