using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Annotated.WebSockets.Testing.Tests;

internal static class Hosts
{
    /// <summary>A standalone host with every test endpoint, a fresh <see cref="Calls"/> and 30-minute idle timeout.</summary>
    public static Task<WebSocketTestHost> StartAsync(Action<WebSocketTestHostBuilder>? configure = null)
    {
        var builder = WebSocketTestHost.CreateBuilder()
            .AddEndpoint<EchoEndpoint>()
            .AddEndpoint<GreetEndpoint>()
            .AddEndpoint<ProtocolEndpoint>()
            .AddEndpoint<FailingEndpoint>()
            .AddEndpoint<BinaryOnlyEndpoint>()
            .AddEndpoint<RoomEndpoint>()
            .AddEndpoint<DiEndpoint>()
            .AddEndpoint<TickerEndpoint>()
            .AddEndpoint<CloserEndpoint>()
            .AddEndpoint<SlowEchoEndpoint>()
            .ConfigureServices(services =>
            {
                services.AddSingleton<Calls>();
                services.TryAddSingleton<IGreeting, PlainGreeting>();
            })
            .ConfigureWebSockets(options =>
            {
                options.Sessions.MaxIdleTimeout = TimeSpan.FromMinutes(30);
                options.AddMessageRateLimitPolicy(SlowEchoEndpoint.Policy, policy => policy.AddLimit(1, TimeSpan.FromSeconds(1)));
            });
        configure?.Invoke(builder);
        return builder.StartAsync();
    }

    public static Calls Calls(this WebSocketTestHost host) => host.Services.GetRequiredService<Calls>();
}
