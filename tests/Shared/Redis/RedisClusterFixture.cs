using System.Diagnostics;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>
/// One <see cref="RedisCluster"/> per test class (<c>IClassFixture&lt;RedisClusterFixture&gt;</c>): its own nodes, ports
/// and directories, so classes using it run in parallel with each other and with everything else.
/// </summary>
public sealed class RedisClusterFixture : IAsyncLifetime
{
    private RedisCluster? _cluster;

    public RedisCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster is not started yet.");

    /// <summary>How long starting the nodes and creating the cluster took (for the test output).</summary>
    public TimeSpan StartupTime { get; private set; }

    public async Task InitializeAsync()
    {
        var elapsed = Stopwatch.StartNew();
        _cluster = await RedisCluster.StartAsync();
        StartupTime = elapsed.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
