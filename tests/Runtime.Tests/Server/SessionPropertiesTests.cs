using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Annotated.WebSockets.Runtime.Tests.Server;

/// <summary>What a session exposes about its connection, and sessions side by side.</summary>
public class SessionPropertiesTests
{
    [Fact]
    public async Task The_session_describes_its_handshake()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync("/props/{room}", endpoint);
        using var client = await host.ConnectAsync("/props/lobby?a=1&a=2&b=x");
        await endpoint.Log.WaitForAsync("open");

        var session = endpoint.Log.Values.OfType<WebSocketSession>().Single();

        Assert.Equal(new Uri($"ws://{host.BaseAddress.Authority}/props/lobby?a=1&a=2&b=x"), session.RequestUri);
        Assert.Equal("a=1&a=2&b=x", session.QueryString);
        Assert.Equal("lobby", session.PathParameters["room"]);
        Assert.Equal(["1", "2"], session.RequestParameters["a"]);
        Assert.Equal(["lobby"], session.RequestParameters["room"]);
        Assert.False(session.IsSecure);
        Assert.Null(session.User);
        Assert.True(session.IsOpen);
        Assert.NotEmpty(session.Id);
        Assert.Same(session.BasicRemote, session.BasicRemote);
    }

    [Fact]
    public async Task Concurrent_sessions_are_isolated_and_listed_in_OpenSessions()
    {
        var endpoint = new ScriptedEndpoint
        {
            OnText = static async (session, text, _) =>
            {
                session.UserProperties["last"] = text;
                await session.BasicRemote.SendTextAsync($"{session.OpenSessions.Count}:{session.UserProperties["last"]}");
            },
        };
        var other = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync([endpoint.ToDefinition("/props/open"), other.ToDefinition("/props/other")]);
        using var unrelated = await host.ConnectAsync("/props/other");
        using var first = await host.ConnectAsync("/props/open");
        using var second = await host.ConnectAsync("/props/open");

        await first.SendTextAsync("one");
        await second.SendTextAsync("two");

        Assert.Equal("2:one", await first.ReceiveTextAsync());
        Assert.Equal("2:two", await second.ReceiveTextAsync());
        var sessions = endpoint.Log.Values.OfType<WebSocketSession>().ToList();
        Assert.Equal(2, sessions.Select(s => s.Id).Distinct().Count());

        await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await endpoint.Log.WaitForAsync("close:");
        await second.SendTextAsync("three");
        Assert.Equal("1:three", await second.ReceiveTextAsync());
    }

    [Fact]
    public async Task Http2_extended_CONNECT_is_accepted()
    {
        var endpoint = new ScriptedEndpoint();
        await using var host = await ServerTestHost.StartAsync([endpoint.ToDefinition("/props/h2")], protocols: HttpProtocols.Http2);
        using var handler = new SocketsHttpHandler();
        using var invoker = new HttpMessageInvoker(handler);
        using var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version20;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        client.Options.CollectHttpResponseDetails = true;

        await client.ConnectAsync(host.WebSocketUri("/props/h2"), invoker, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await client.SendTextAsync("over h2");

        Assert.Equal(HttpStatusCode.OK, client.HttpStatusCode);
        Assert.Equal("over h2", await client.ReceiveTextAsync());
        await client.CloseAsync((WebSocketCloseStatus)4001, "h2 bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("close:4001:h2 bye", await endpoint.Log.WaitForAsync("close:"));
    }
}
