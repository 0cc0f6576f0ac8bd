using Annotated.WebSockets.Client;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>Our client against ASP.NET Core's own WebSocket server (AcceptWebSocketAsync), an independent implementation.</summary>
public sealed class ClientAgainstRawServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Echo_RoundTripsTextAndBinary_ThroughMaskedFrames()
    {
        // ASP.NET Core's server fails the connection on an unmasked client frame, so an echo proves the masking.
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/raw/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        var large = new string('é', 100_000);
        await session.BasicRemote.SendTextAsync(large).WaitAsync(s_timeout);
        await session.BasicRemote.SendBinaryAsync(new byte[] { 7, 8, 9 }).WaitAsync(s_timeout);

        Assert.Equal($"text:{large}", await endpoint.Events.WaitForAsync("text:"));
        Assert.Equal("binary:070809", await endpoint.Events.WaitForAsync("binary:"));
        await session.CloseAsync(new CloseReason((CloseCode)4010, "raw done")).WaitAsync(s_timeout);
        Assert.Equal("close:4010:raw done", await endpoint.Events.WaitForAsync("close:"));
    }

    [Fact]
    public async Task BeforeRequestHeaders_ReachTheServer_AndAfterResponseSeesTheServersHeaders()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var configurator = new RecordingConfigurator(("X-Client-Token", "abc123"), ("Authorization", "Bearer t"));
        var config = ClientEndpointConfig.CreateBuilder().WithConfigurator(configurator).Build();
        var id = ServerLog.NewId();

        await container.ConnectToServerAsync(new RecordingClientEndpoint(), config, server.WebSocketUri("/raw/echo", id)).WaitAsync(s_timeout);

        var received = ClientTestServer.RequestHeaders[id];
        Assert.Equal("abc123", received["X-Client-Token"]);
        Assert.Equal("Bearer t", received["Authorization"]);
        Assert.Equal("13", received["Sec-WebSocket-Version"]);
        Assert.Equal(16, Convert.FromBase64String(received["Sec-WebSocket-Key"]).Length);
        Assert.Equal("chat.v3, chat.v1", configurator.RequestHeaders!["sec-websocket-protocol"].Aggregate((a, b) => $"{a}, {b}"));

        var response = Assert.Single(configurator.Responses);
        Assert.Equal(101, response.StatusCode);
        Assert.Equal("raw", Assert.Single(response.Headers["x-server"]));
        Assert.Single(response.Headers[HandshakeResponse.SecWebSocketAccept]);
    }

    [Fact]
    public async Task TheAttributesConfigurator_IsUsed()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var id = ServerLog.NewId();

        await container.ConnectToServerAsync(new MarkedClientEndpoint(), server.WebSocketUri("/raw/echo", id)).WaitAsync(s_timeout);

        Assert.Equal("from-attribute", ClientTestServer.RequestHeaders[id]["X-Client-Marker"]);
    }

    [Fact]
    public async Task ServerClose_ReachesOnCloseWithItsCodeAndReason()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/raw/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync("close:4003:raw-bye").WaitAsync(s_timeout);

        Assert.Equal("close:4003:raw-bye", await endpoint.Events.WaitForAsync("close:"));
    }

    [Fact]
    public async Task ServerVanishing_GivesOnClose1006()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/raw/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync("abort").WaitAsync(s_timeout);

        Assert.StartsWith("close:1006", await endpoint.Events.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.False(session.IsOpen);
        await Assert.ThrowsAsync<IOException>(() => session.BasicRemote.SendTextAsync("too late"));
    }

    [Fact]
    public async Task ASubprotocolTheClientDidNotOffer_FailsTheConnection()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();

        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            container.ConnectToServerAsync(endpoint, server.WebSocketUri("/raw/bad-subprotocol", ServerLog.NewId())).WaitAsync(s_timeout));

        Assert.Contains("never-offered", error.Message, StringComparison.Ordinal);
        Assert.Empty(endpoint.Events.Entries);   // no OnOpen, so no OnClose either
    }

    [Fact]
    public async Task AnExtensionTheClientDidNotOffer_FailsTheConnection()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();

        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            container.ConnectToServerAsync(new RecordingClientEndpoint(), server.WebSocketUri("/raw/bad-extension", ServerLog.NewId())).WaitAsync(s_timeout));

        Assert.Contains("permessage-deflate", error.Message, StringComparison.Ordinal);
    }
}
