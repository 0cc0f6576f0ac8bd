using Annotated.WebSockets.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>The container's API: what it accepts, its defaults, and dependency injection.</summary>
public sealed class ClientContainerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Defaults_AreFiniteAndDocumented()
    {
        var container = WebSocketContainer.Create();

        Assert.Equal(TimeSpan.FromMinutes(5), container.DefaultMaxSessionIdleTimeout);
        Assert.Equal(1024 * 1024, container.DefaultMaxTextMessageBufferSize);
        Assert.Equal(1024 * 1024, container.DefaultMaxBinaryMessageBufferSize);
        Assert.Equal(TimeSpan.Zero, container.DefaultAsyncSendTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), container.ConnectTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.DefaultMaxTextMessageBufferSize = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.ConnectTimeout = TimeSpan.Zero);
    }

    [Fact]
    public async Task AClassThatIsNotAClientEndpoint_IsADeploymentException()
    {
        await using var container = WebSocketContainer.Create();
        var uri = new Uri("ws://127.0.0.1:1/never");

        var plain = await Assert.ThrowsAsync<DeploymentException>(() => container.ConnectToServerAsync(new object(), uri));
        Assert.Contains("[ClientEndpoint]", plain.Message, StringComparison.Ordinal);
        var server = await Assert.ThrowsAsync<DeploymentException>(() => container.ConnectToServerAsync(new ClientTestsEchoServer(), uri));
        Assert.Contains("[ServerEndpoint]", server.Message, StringComparison.Ordinal);
        // AWE0010 reports this at compile time; the run-time check still guards callers the analyzer cannot see
        // (a generic method passing its own type parameter on).
#pragma warning disable AWE0010
        await Assert.ThrowsAsync<DeploymentException>(() => container.ConnectToServerAsync<ClientTestsEchoServer>(uri));
#pragma warning restore AWE0010
    }

    [Fact]
    public async Task ANonWebSocketUri_IsRejected()
    {
        await using var container = WebSocketContainer.Create();

        await Assert.ThrowsAsync<ArgumentException>(() => container.ConnectToServerAsync(new RecordingClientEndpoint(), new Uri("http://127.0.0.1/echo")));
    }

    [Fact]
    public async Task ConnectByType_WithoutTheServiceItNeeds_IsADeploymentException()
    {
        await using var container = WebSocketContainer.Create();

        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            container.ConnectToServerAsync<InjectedClientEndpoint>(new Uri("ws://127.0.0.1:1/never")));

        Assert.Contains(nameof(InjectedClientEndpoint), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDiContainer_IsASingleton_WhoseEndpointsGetServices_AndWhichDisposesThem()
    {
        await using var server = await ClientTestServer.StartAsync();
        var services = new ServiceCollection()
            .AddSingleton(new Greeting("hello from DI"))
            .AddWebSocketContainer(container =>
            {
                container.DefaultMaxBinaryMessageBufferSize = 4321;
                container.SessionOptions.AsyncSendTimeout = TimeSpan.FromSeconds(12);
            });
        await using var provider = services.BuildServiceProvider();
        var container = provider.GetRequiredService<WebSocketContainer>();
        Assert.Same(container, provider.GetRequiredService<WebSocketContainer>());
        Assert.Equal(4321, container.DefaultMaxBinaryMessageBufferSize);

        var session = await container.ConnectToServerAsync<InjectedClientEndpoint>(server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);
        Assert.Equal(TimeSpan.FromSeconds(12), session.AsyncRemote.SendTimeout);
        Assert.Equal(4321, session.MaxBinaryMessageBufferSize);
        Assert.Empty(session.NegotiatedExtensions);
        var endpoint = Assert.IsType<InjectedClientEndpoint>(((Annotated.WebSockets.Sessions.EngineWebSocketSession)session).Endpoint);
        Assert.Equal("text:hello from DI", await endpoint.Events.WaitForAsync("text:"));

        await session.CloseAsync().WaitAsync(s_timeout);
        Assert.Equal("close:1000", await endpoint.Events.WaitForAsync("close:"));
        Assert.Equal("disposed", await endpoint.Events.WaitForAsync("disposed"));
    }
}
