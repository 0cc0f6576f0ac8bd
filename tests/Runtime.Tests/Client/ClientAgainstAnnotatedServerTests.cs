using System.Text;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Runtime.Tests.Client;

/// <summary>Our client against our own server (an annotated [ServerEndpoint] on Kestrel).</summary>
public sealed class ClientAgainstAnnotatedServerTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnnotatedClient_RoundTripsTextAndBinary_AndItsCallbacksFire()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);
        Assert.Equal("open", endpoint.Events.Entries[0]);   // OnOpen ran before ConnectToServerAsync returned
        Assert.True(session.IsOpen);
        Assert.False(session.IsSecure);

        await session.BasicRemote.SendTextAsync("hello ✓").WaitAsync(s_timeout);
        Assert.Equal("text:hello ✓", await endpoint.Events.WaitForAsync("text:"));
        await session.BasicRemote.SendBinaryAsync(new byte[] { 0, 1, 0xFE, 0xFF }).WaitAsync(s_timeout);
        Assert.Equal("binary:0001FEFF", await endpoint.Events.WaitForAsync("binary:"));

        await session.CloseAsync(new CloseReason((CloseCode)4002, "done")).WaitAsync(s_timeout);
        Assert.Equal("close:4002:done", await endpoint.Events.WaitForAsync("close:"));
        Assert.Equal("close:4002:done", await ServerLog.For(id).WaitForAsync("close:"));
        Assert.False(session.IsOpen);
    }

    [Fact]
    public async Task AnnotatedClient_TakingUtf8Text_GetsTheBytesOfEachTextMessage()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new Utf8TextClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync(new Utf8Text("héllo ✓"u8.ToArray())).WaitAsync(s_timeout);

        Assert.Equal("utf8:10:héllo ✓", await endpoint.Events.WaitForAsync("utf8:"));
    }

    [Fact]
    public async Task ServerClose_ReachesOnCloseWithTheServersCodeAndReason()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync("close:4001:bye").WaitAsync(s_timeout);

        Assert.Equal("close:4001:bye", await endpoint.Events.WaitForAsync("close:"));
        Assert.Equal(1, endpoint.Events.Entries.Count(e => e.StartsWith("close:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HandlerException_GoesToOnError_AndTheSessionStaysOpen()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync("throw").WaitAsync(s_timeout);
        Assert.Equal("error:InvalidOperationException:boom", await endpoint.Events.WaitForAsync("error:"));

        await session.BasicRemote.SendTextAsync("still here").WaitAsync(s_timeout);
        Assert.Equal("text:still here", await endpoint.Events.WaitForAsync("text:"));
        Assert.True(session.IsOpen);
    }

    [Fact]
    public async Task Ping_IsAnsweredByTheServer_AndThePongReachesThePongHandler()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        await session.BasicRemote.SendPingAsync(Encoding.UTF8.GetBytes("are you there")).WaitAsync(s_timeout);

        Assert.Equal("pong:are you there", await endpoint.Events.WaitForAsync("pong:"));
    }

    [Fact]
    public async Task Subprotocol_TheServerPicksTheFirstOfTheClientsListItSupports()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var id = ServerLog.NewId();

        // The attribute offers chat.v3 then chat.v1; the server supports chat.v2 and chat.v1.
        var session = await container.ConnectToServerAsync(new RecordingClientEndpoint(), server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.Equal("chat.v1", session.NegotiatedSubprotocol);
        Assert.Equal("open:chat.v1", await ServerLog.For(id).WaitForAsync("open:"));
        Assert.Equal("chat.v3, chat.v1", ClientTestServer.RequestHeaders[id]["Sec-WebSocket-Protocol"]);
    }

    [Fact]
    public async Task ConfigSubprotocols_ReplaceTheAttributes()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var config = ClientEndpointConfig.CreateBuilder().WithSubprotocols("chat.v2").Build();

        var session = await container.ConnectToServerAsync(new RecordingClientEndpoint(), config, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        Assert.Equal("chat.v2", session.NegotiatedSubprotocol);
    }

    [Fact]
    public async Task PerMessageDeflate_IsNegotiated_AndCompressedMessagesRoundTrip()
    {
        await using var server = await ClientTestServer.StartAsync(options => options.PerMessageDeflate.Enabled = true);
        await using var container = WebSocketContainer.Create();
        var configurator = new RecordingConfigurator();
        var config = ClientEndpointConfig.CreateBuilder()
            .WithPerMessageDeflate(new PerMessageDeflateOffer { ClientNoContextTakeover = true })
            .WithConfigurator(configurator)
            .Build();
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        Assert.StartsWith("permessage-deflate", ClientTestServer.RequestHeaders[id]["Sec-WebSocket-Extensions"], StringComparison.Ordinal);
        Assert.Contains("client_no_context_takeover", ClientTestServer.RequestHeaders[id]["Sec-WebSocket-Extensions"], StringComparison.Ordinal);
        var answer = Assert.Single(configurator.Responses).Headers["sec-websocket-extensions"];
        Assert.StartsWith("permessage-deflate", Assert.Single(answer), StringComparison.Ordinal);
        var extension = Assert.Single(session.NegotiatedExtensions);
        Assert.Equal("permessage-deflate", extension.Name);
        Assert.Contains(extension.Parameters, parameter => parameter.Name == "client_no_context_takeover");

        var text = string.Concat(Enumerable.Repeat("compress me, please ", 5_000));
        for (var i = 0; i < 3; i++)
        {
            await session.BasicRemote.SendTextAsync(text + i).WaitAsync(s_timeout);
        }

        for (var i = 0; i < 3; i++)
        {
            await endpoint.Events.WaitForAsync($"text:{text}{i}");
        }

        await session.CloseAsync().WaitAsync(s_timeout);
        Assert.Equal("close:1000:", await ServerLog.For(id).WaitForAsync("close:"));
    }

    [Fact]
    public async Task UnknownPath_FailsWithDeploymentExceptionNaming404_AndAfterResponseSeesIt()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var configurator = new RecordingConfigurator();
        var config = ClientEndpointConfig.CreateBuilder().WithConfigurator(configurator).Build();

        var error = await Assert.ThrowsAsync<DeploymentException>(() =>
            container.ConnectToServerAsync(new RecordingClientEndpoint(), config, server.WebSocketUri("/client-tests/missing", ServerLog.NewId())).WaitAsync(s_timeout));

        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(404, Assert.Single(configurator.Responses).StatusCode);
    }

    [Fact]
    public async Task ConnectByType_CreatesTheEndpointThroughTheGeneratedFactory()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();

        var session = await container.ConnectToServerAsync<RecordingClientEndpoint>(server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        var endpoint = Assert.IsType<RecordingClientEndpoint>(((EngineWebSocketSession)session).Endpoint);
        await session.BasicRemote.SendTextAsync("by type").WaitAsync(s_timeout);
        Assert.Equal("text:by type", await endpoint.Events.WaitForAsync("text:"));
    }

    [Fact]
    public async Task ProgrammaticEndpoint_GetsItsConfig_ReceivesThroughItsMessageHandler_AndSeesTheServersClose()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        var endpoint = new ProgrammaticTestEndpoint();
        var config = ClientEndpointConfig.CreateBuilder().WithUserProperty("tag", "t1").Build();

        var session = await container.ConnectToServerAsync(endpoint, config, server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        Assert.Equal("open:t1:True", await endpoint.Events.WaitForAsync("open:"));
        Assert.Equal("text:hello", await endpoint.Events.WaitForAsync("text:"));
        await session.BasicRemote.SendTextAsync("close:4005:programmatic").WaitAsync(s_timeout);
        Assert.Equal("close:4005:programmatic", await endpoint.Events.WaitForAsync("close:"));
    }

    [Fact]
    public async Task DisposingTheContainer_ClosesItsSessionsWithGoingAway()
    {
        await using var server = await ClientTestServer.StartAsync();
        var container = WebSocketContainer.Create();
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();
        await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        await container.DisposeAsync().AsTask().WaitAsync(s_timeout);

        Assert.StartsWith("close:1001:", await ServerLog.For(id).WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.StartsWith("close:1001:", await endpoint.Events.WaitForAsync("close:"), StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectDisposedException>(() =>
            container.ConnectToServerAsync(new RecordingClientEndpoint(), server.WebSocketUri("/client-tests/echo", id)));
    }

    [Fact]
    public async Task IdleTimeout_ClosesTheClientSession_With1006Locally()
    {
        await using var server = await ClientTestServer.StartAsync();
        var clock = FakeClock.Create();
        await using var container = WebSocketContainer.Create(clock);
        var idle = TimeSpan.FromMilliseconds(200);
        container.DefaultMaxSessionIdleTimeout = idle;
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();

        await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);
        await endpoint.Events.WaitForAsync("open");

        // Ticks every 50 ms: open just before the timeout; closed (1001 sent, 1006 reported) after it.
        clock.AdvanceInSteps(idle - TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(5));
        Assert.DoesNotContain(endpoint.Events.Entries, e => e.StartsWith("close:", StringComparison.Ordinal));
        await clock.AdvanceUntilAsync(endpoint.Events.WaitForAsync("close:"), TimeSpan.FromMilliseconds(5), idle / 4 + container.SessionOptions.CloseTimeout);

        Assert.StartsWith("close:1006:", await endpoint.Events.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.StartsWith("close:1001:", await ServerLog.For(id).WaitForAsync("close:"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextLargerThanTheContainersBuffer_Closes1009_AfterOnError()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();
        container.DefaultMaxTextMessageBufferSize = 16;
        var id = ServerLog.NewId();
        var endpoint = new RecordingClientEndpoint();
        var session = await container.ConnectToServerAsync(endpoint, server.WebSocketUri("/client-tests/echo", id)).WaitAsync(s_timeout);

        await session.BasicRemote.SendTextAsync(new string('x', 64)).WaitAsync(s_timeout);

        Assert.StartsWith("error:MessageTooBigException", await endpoint.Events.WaitForAsync("error:"), StringComparison.Ordinal);
        Assert.StartsWith("close:1009", await endpoint.Events.WaitForAsync("close:"), StringComparison.Ordinal);
        Assert.StartsWith("close:1009", await ServerLog.For(id).WaitForAsync("close:"), StringComparison.Ordinal);
    }
}
