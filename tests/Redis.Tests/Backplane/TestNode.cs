using System.Net.WebSockets;
using Annotated.WebSockets.Redis.Tests.Endpoints;
using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>One server node: a real Kestrel on loopback serving <see cref="NodeEndpoint"/>, with the backplane the test gives it.</summary>
public sealed class TestNode : IAsyncDisposable
{
    private TestNode(KestrelHost host) => Host = host;

    public KestrelHost Host { get; }

    public WebSocketGroups Groups => Host.App.Services.GetRequiredService<WebSocketGroups>();

    public static async Task<TestNode> StartAsync(Action<IAnnotatedWebSocketsBuilder> backplane)
    {
        var host = await KestrelHost.StartAsync(services: services =>
        {
            services.AddSingleton<IWebSocketUserIdProvider, QueryUserIdProvider>();
            backplane(new Builder(services));
        });
        return new TestNode(host);
    }

    /// <summary>Connects a client; returns it with its session id (the server's first message).</summary>
    public async Task<TestClient> ConnectAsync(string? user = null)
    {
        var socket = await Host.ConnectAsync(user is null ? "/node/n" : $"/node/n?user={Uri.EscapeDataString(user)}");
        var hello = await socket.ReceiveTextAsync();
        Assert.StartsWith("id|", hello, StringComparison.Ordinal);
        return new TestClient(socket, hello[3..]);
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed class Builder(IServiceCollection services) : IAnnotatedWebSocketsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

/// <summary>A real WebSocket client of a <see cref="TestNode"/> and its session's id.</summary>
public sealed class TestClient(ClientWebSocket socket, string sessionId) : IDisposable
{
    public ClientWebSocket Socket { get; } = socket;

    public string SessionId { get; } = sessionId;

    /// <summary>Sends a command and returns its answer (the next message must be that answer).</summary>
    public async Task<string> AskAsync(string command)
    {
        await Socket.SendTextAsync(command);
        return await Socket.ReceiveTextAsync();
    }

    public Task<string> ReceiveAsync() => Socket.ReceiveTextAsync();

    /// <summary>Proves nothing else is on the way for this client: it asks its own node for a count, and the answer is the next message.</summary>
    public async Task ExpectNothingMoreAsync()
    {
        Assert.Equal("ok|count|0", await AskAsync("count|nothing-more-marker-group"));
    }

    public void Dispose() => Socket.Dispose();
}
