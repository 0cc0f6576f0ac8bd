using System.Net.WebSockets;

using Microsoft.Extensions.DependencyInjection;

namespace Annotated.WebSockets.Redis.Tests.Backplane;

/// <summary>
/// What every <see cref="WebSocketBackplane"/> must do, over three real Kestrel nodes with real WebSocket clients: group,
/// except, user, session and endpoint sends reach exactly their sessions on every node; joining and leaving; nothing
/// after a session closes; adding and removing a session of another node by id, and its failure for an id no node has;
/// counts over every node. Run against the in-memory broker and against a real Redis (subclasses).
/// </summary>
public abstract class BackplaneConformanceTests : IAsyncLifetime
{
    private readonly List<TestNode> _nodes = [];
    private readonly List<TestClient> _clients = [];

    protected TestNode A => _nodes[0];

    protected TestNode B => _nodes[1];

    protected TestNode C => _nodes[2];

    public async Task InitializeAsync()
    {
        await StartBrokerAsync();
        for (var i = 0; i < 3; i++)
        {
            var node = await TestNode.StartAsync(UseBackplane);
            _nodes.Add(node);
            await WaitUntilReadyAsync(node);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        await StopBrokerAsync();
    }

    [Fact]
    public async Task A_group_send_reaches_its_members_on_every_node_once_and_no_one_else()
    {
        var a1 = await ConnectAsync(A);
        var b1 = await ConnectAsync(B);
        var c1 = await ConnectAsync(C);
        var c2 = await ConnectAsync(C);   // on a node with members, not a member
        var b2 = await ConnectAsync(B);
        foreach (var member in new[] { a1, b1, c1 })
        {
            Assert.Equal("ok|join|Changed", await member.AskAsync("join|room"));
        }

        Assert.Equal("ok|join|Unchanged", await b1.AskAsync("join|room"));

        await a1.Socket.SendTextAsync("group|room|héllo 🎉");
        Assert.Equal("héllo 🎉", await a1.ReceiveAsync());   // the sender is a member: delivered locally before the answer
        Assert.Equal("ok|sent", await a1.ReceiveAsync());
        Assert.Equal("héllo 🎉", await b1.ReceiveAsync());
        Assert.Equal("héllo 🎉", await c1.ReceiveAsync());

        // Once: a second copy would come before anything sent after it on the same path.
        await a1.Socket.SendTextAsync("group|room|second");
        Assert.Equal("second", await a1.ReceiveAsync());
        Assert.Equal("ok|sent", await a1.ReceiveAsync());
        Assert.Equal("second", await b1.ReceiveAsync());
        Assert.Equal("second", await c1.ReceiveAsync());

        // Not to non-members: by the time c1 has both, anything for c2 would have been queued before this direct send.
        await ExpectOnlyDirectAsync(a1, c2);
        await ExpectOnlyDirectAsync(a1, b2);
    }

    [Fact]
    public async Task A_group_send_except_the_sender_reaches_the_others_on_every_node()
    {
        var a1 = await ConnectAsync(A);
        var a2 = await ConnectAsync(A);
        var b1 = await ConnectAsync(B);
        foreach (var member in new[] { a1, a2, b1 })
        {
            await member.AskAsync("join|except-room");
        }

        Assert.Equal("ok|sent", await a1.AskAsync("except|except-room|not for me"));
        Assert.Equal("not for me", await a2.ReceiveAsync());
        Assert.Equal("not for me", await b1.ReceiveAsync());
        await ExpectOnlyDirectAsync(b1, a1);
    }

    [Fact]
    public async Task A_user_send_reaches_every_session_of_that_user_on_every_node()
    {
        var alice1 = await ConnectAsync(A, "alice");
        await alice1.AskAsync("join|users");
        var alice2 = await ConnectAsync(C, "alice");
        var bob = await ConnectAsync(B, "bob");
        var sender = await ConnectAsync(B);

        await alice2.AskAsync("join|users");
        Assert.Equal($"ok|members|{string.Join(',', new[] { $"{alice1.SessionId}/alice", $"{alice2.SessionId}/alice" }.Order(StringComparer.Ordinal))}", await bob.AskAsync("members|users"));
        Assert.Equal("ok|sent", await sender.AskAsync("user|alice|for alice"));
        Assert.Equal("for alice", await alice1.ReceiveAsync());
        Assert.Equal("for alice", await alice2.ReceiveAsync());
        await ExpectOnlyDirectAsync(sender, bob);
    }

    [Fact]
    public async Task An_endpoint_send_reaches_every_session_of_the_endpoint_on_every_node()
    {
        var clients = new[] { await ConnectAsync(A), await ConnectAsync(B), await ConnectAsync(C), await ConnectAsync(C) };
        await clients[1].Socket.SendTextAsync("endpoint|everyone");
        foreach (var client in clients)
        {
            Assert.Equal("everyone", await client.ReceiveAsync());
        }

        Assert.Equal("ok|sent", await clients[1].ReceiveAsync());
    }

    [Fact]
    public async Task A_session_send_reaches_that_session_on_its_node_and_an_unknown_id_no_one()
    {
        var a1 = await ConnectAsync(A);
        var c1 = await ConnectAsync(C);
        Assert.Equal("ok|sent", await a1.AskAsync($"session|{c1.SessionId}|just you"));
        Assert.Equal("just you", await c1.ReceiveAsync());
        Assert.Equal("ok|sent", await a1.AskAsync($"session|{c1.SessionId[..^4]}beef|no one"));
        Assert.Equal("ok|sent", await a1.AskAsync("session|not-a-session-id|no one"));
        await ExpectOnlyDirectAsync(a1, c1);
    }

    [Fact]
    public async Task A_member_that_leaves_or_closes_gets_nothing_more_and_is_no_longer_counted()
    {
        var a1 = await ConnectAsync(A);
        var b1 = await ConnectAsync(B);
        var c1 = await ConnectAsync(C);
        foreach (var member in new[] { a1, b1, c1 })
        {
            await member.AskAsync("join|leave-room");
        }

        Assert.Equal("ok|count|3", await a1.AskAsync("count|leave-room"));
        Assert.Equal("ok|leave|Changed", await b1.AskAsync("leave|leave-room"));
        Assert.Equal("ok|leave|Unchanged", await b1.AskAsync("leave|leave-room"));
        await c1.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => C.Groups.CountLocal("leave-room") == 0);

        Assert.Equal("ok|count|1", await a1.AskAsync("count|leave-room"));
        await a1.Socket.SendTextAsync("group|leave-room|after");
        Assert.Equal("after", await a1.ReceiveAsync());
        Assert.Equal("ok|sent", await a1.ReceiveAsync());
        await ExpectOnlyDirectAsync(a1, b1);
    }

    [Fact]
    public async Task A_session_of_another_node_is_added_and_removed_by_id_and_an_unknown_id_fails_at_once()
    {
        var a1 = await ConnectAsync(A);
        var b1 = await ConnectAsync(B);
        var c1 = await ConnectAsync(C);

        Assert.Equal("ok|add|Changed", await a1.AskAsync($"add|{b1.SessionId}|remote-room"));
        Assert.Equal("ok|add|Unchanged", await c1.AskAsync($"add|{b1.SessionId}|remote-room"));
        Assert.Equal(1, B.Groups.CountLocal("remote-room"));

        // The added member gets the group's messages from another node as soon as the add has completed.
        Assert.Equal("ok|sent", await c1.AskAsync("group|remote-room|to the added"));
        Assert.Equal("to the added", await b1.ReceiveAsync());

        Assert.Equal("ok|remove|Changed", await a1.AskAsync($"remove|{b1.SessionId}|remote-room"));
        Assert.Equal("ok|remove|Unchanged", await a1.AskAsync($"remove|{b1.SessionId}|remote-room"));
        Assert.Equal(0, B.Groups.CountLocal("remote-room"));

        // An id no node has: a live node's format with a session that does not exist, another node's that is gone,
        // and a string no node made.
        var started = DateTime.UtcNow;
        Assert.Equal("ok|add|SessionNotFound", await a1.AskAsync($"add|{b1.SessionId[..^4]}beef|remote-room"));
        Assert.Equal("ok|add|SessionNotFound", await a1.AskAsync("add|0123456789ab.0123456789abcdef0123456789abcdef|remote-room"));
        Assert.Equal("ok|remove|SessionNotFound", await a1.AskAsync("remove|nobody|remote-room"));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "an unknown id fails without waiting for the request timeout");
    }

    [Fact]
    public async Task A_group_is_counted_and_listed_over_every_node()
    {
        var clients = new[]
        {
            await ConnectAsync(A), await ConnectAsync(A),
            await ConnectAsync(B),
            await ConnectAsync(C), await ConnectAsync(C), await ConnectAsync(C),
        };
        foreach (var client in clients)
        {
            await client.AskAsync("join|counted");
        }

        Assert.Equal("ok|count|6", await clients[0].AskAsync("count|counted"));
        var expected = string.Join(',', clients.Select(static c => $"{c.SessionId}/").Order(StringComparer.Ordinal));
        Assert.Equal($"ok|members|{expected}", await clients[3].AskAsync("members|counted"));
        Assert.Equal("ok|count|6", await clients[2].AskAsync("count|counted"));
        Assert.Equal("ok|count|0", await clients[2].AskAsync("count|nobody-here"));
        Assert.Equal(2, A.Groups.CountLocal("counted"));
    }

    /// <summary>Starts what the nodes share (a broker), before the nodes.</summary>
    protected virtual Task StartBrokerAsync() => Task.CompletedTask;

    /// <summary>Stops it, after the nodes.</summary>
    protected virtual Task StopBrokerAsync() => Task.CompletedTask;

    /// <summary>Registers the backplane of one more node.</summary>
    protected abstract void UseBackplane(IAnnotatedWebSocketsBuilder builder);

    /// <summary>Completes when the node's backplane delivers.</summary>
    protected virtual Task WaitUntilReadyAsync(TestNode node) => Task.CompletedTask;

    protected static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(10);
        }
    }

    private async Task<TestClient> ConnectAsync(TestNode node, string? user = null)
    {
        var client = await node.ConnectAsync(user);
        _clients.Add(client);
        return client;
    }

    // The next message of `target` is a direct one from `sender`: nothing else was on its way to it.
    private static async Task ExpectOnlyDirectAsync(TestClient sender, TestClient target)
    {
        var marker = $"direct-{Guid.NewGuid():N}";
        Assert.Equal("ok|sent", await sender.AskAsync($"session|{target.SessionId}|{marker}"));
        Assert.Equal(marker, await target.ReceiveAsync());
    }
}

/// <summary>The conformance suite on the in-memory broker.</summary>
public sealed class InMemoryBackplaneConformanceTests : BackplaneConformanceTests
{
    private readonly InMemoryBroker _broker = new();

    protected override void UseBackplane(IAnnotatedWebSocketsBuilder builder) =>
        builder.Services.AddSingleton<WebSocketBackplane>(_broker.CreateNode());
}
