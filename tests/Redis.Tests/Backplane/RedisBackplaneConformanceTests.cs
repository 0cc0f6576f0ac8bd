using Annotated.WebSockets.Tests.Shared.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>The conformance suite on a real <c>redis-server</c> started for each test.</summary>
public sealed class RedisBackplaneConformanceTests : BackplaneConformanceTests
{
    private readonly string _prefix = $"conformance-{Guid.NewGuid():N}";
    private RedisServer _redis = null!;

    protected override async Task StartBrokerAsync() => _redis = await RedisServer.StartAsync();

    protected override async Task StopBrokerAsync() => await _redis.DisposeAsync();

    protected override void UseBackplane(IAnnotatedWebSocketsBuilder builder) =>
        builder.AddRedisBackplane(_redis.ConnectionString, options => options.ChannelPrefix = _prefix);

    protected override Task WaitUntilReadyAsync(TestNode node) =>
        WaitUntilAsync(() => node.Host.App.Services.GetRequiredService<RedisBackplane>().IsConnected);
}
