using Microsoft.Extensions.Hosting;

namespace Annotated.WebSockets.Redis;

/// <summary>Connects the backplane when the host starts (after the node's groups exist, so nothing arrives before there is somewhere to deliver it) and closes it when the host stops.</summary>
internal sealed class RedisBackplaneHostedService(RedisBackplane backplane, WebSocketGroups groups) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(groups);   // made (and attached to the backplane) before the backplane connects
        return backplane.StartAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => backplane.DisposeAsync().AsTask();
}
