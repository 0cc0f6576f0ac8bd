using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Annotated.WebSockets.Redis.Tests.Infrastructure;

/// <summary>The single-server fixture against a real redis-server, through the raw RESP client only.</summary>
public class RedisServerTests
{
    [Fact]
    public async Task Start_AnswersPing_OnItsOwnPortAndDirectory_WithPersistenceOff()
    {
        await using var server = await RedisServer.StartAsync();

        Assert.Equal("PONG", await server.Commands.PingAsync());
        Assert.Equal($"127.0.0.1:{server.Port}", server.ConnectionString);
        var info = await server.Commands.InfoAsync("server");
        Assert.Equal(server.ProcessId.ToString(CultureInfo.InvariantCulture), info["process_id"]);
        Assert.StartsWith("7.", info["redis_version"], StringComparison.Ordinal);
        Assert.Equal(["save", ""], (await server.Commands.ExecuteAsync("CONFIG", "GET", "save")).AsArray().Select(r => r.AsString()));
        Assert.Equal("no", (await server.Commands.ExecuteAsync("CONFIG", "GET", "appendonly"))[1].AsString());
        Assert.Equal(server.DirectoryPath, (await server.Commands.ExecuteAsync("CONFIG", "GET", "dir"))[1].AsString());
    }

    [Fact]
    public async Task Start_ThatFails_SaysWhyWithTheServerLog()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RedisServer.StartAsync(["--no-such-directive", "1"]));

        Assert.Contains("exited at start", e.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-directive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoServers_HaveDistinctPortsAndDirectories_AndDisposeEndsTheProcessAndDeletesTheDirectory()
    {
        var first = await RedisServer.StartAsync();
        int processId;
        string directory;
        await using (var second = await RedisServer.StartAsync())
        {
            Assert.NotEqual(first.Port, second.Port);
            Assert.NotEqual(first.DirectoryPath, second.DirectoryPath);
            processId = first.ProcessId;
            directory = first.DirectoryPath;
            await first.DisposeAsync();
            Assert.Equal("PONG", await second.Commands.PingAsync());
        }

        Assert.False(Directory.Exists(directory));
        Assert.False(Directory.Exists($"/proc/{processId}"), $"redis-server {processId} still runs after dispose.");
    }

    [Fact]
    public async Task Subscribe_ThenPublishFromAnotherConnection_ReachesTheSubscriber_AndCommandStatsCountIt()
    {
        await using var server = await RedisServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();

        var confirmation = await subscriber.ExecuteAsync("SUBSCRIBE", "news");
        Assert.Equal("[\"subscribe\", \"news\", (integer) 1]", confirmation.ToString());
        Assert.Equal(1, await server.Commands.PublishAsync("news", "hello"));

        var message = await subscriber.ReadReplyAsync();
        Assert.Equal(["message", "news", "hello"], message.AsArray().Select(r => r.AsString()));
        Assert.Equal(1, await server.Commands.PubSubNumSubAsync("news"));
        Assert.Equal(["news"], await server.Commands.PubSubChannelsAsync());
        var stats = await server.Commands.InfoCommandStatsAsync();
        Assert.Equal(1, stats["subscribe"]);
        Assert.Equal(1, stats["publish"]);

        await server.Commands.ConfigResetStatAsync();
        Assert.Equal(0, (await server.Commands.InfoCommandStatsAsync()).GetValueOrDefault("subscribe"));
    }

    [Fact]
    public async Task TryReadReply_ReturnsNullWhenNothingArrives_AndTheConnectionStillReceivesAfterwards()
    {
        await using var server = await RedisServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await subscriber.ExecuteAsync("SUBSCRIBE", "a", "b");
        Assert.Equal("b", (await subscriber.ReadReplyAsync())[1].AsString()); // the second confirmation

        Assert.Null(await subscriber.TryReadReplyAsync(TimeSpan.FromMilliseconds(100)));
        byte[] payload = [0, 1, 2, 0xFF, (byte)'\r', (byte)'\n'];
        Assert.Equal(1, (await server.Commands.ExecuteBinaryAsync("PUBLISH"u8.ToArray(), "b"u8.ToArray(), payload)).AsInteger());

        var message = await subscriber.ReadReplyAsync();
        Assert.Equal("b", message[1].AsString());
        Assert.Equal(payload, message[2].Bytes);
    }

    [Fact]
    public async Task ClientKillPubSub_ClosesSubscriberConnectionsOnly()
    {
        await using var server = await RedisServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await subscriber.ExecuteAsync("SUBSCRIBE", "news");

        Assert.Equal(1, await server.Commands.ClientKillPubSubAsync());

        await Assert.ThrowsAnyAsync<IOException>(() => subscriber.ReadReplyAsync());
        Assert.Equal(0, await server.Commands.PubSubNumSubAsync("news"));
    }

    [Fact]
    public async Task ErrorReplies_AreValues_AndTheTypedAccessorsSayWhatCame()
    {
        await using var server = await RedisServer.StartAsync();

        var reply = await server.Commands.ExecuteAsync("NOSUCHCOMMAND");
        Assert.True(reply.IsError);
        Assert.StartsWith("ERR unknown command", reply.Text, StringComparison.Ordinal);
        var e = Assert.Throws<InvalidOperationException>(() => reply.AsInteger());
        Assert.Contains("(error) ERR unknown command", e.Message, StringComparison.Ordinal);
        Assert.True((await server.Commands.ExecuteAsync("GET", "missing")).IsNull);
        Assert.Equal("PONG", await server.Commands.PingAsync()); // still in step
    }

    [Fact]
    public async Task Stop_RefusesConnections_StartAgain_AnswersOnTheSamePort()
    {
        await using var server = await RedisServer.StartAsync();
        await using var subscriber = await server.ConnectAsync();
        await subscriber.ExecuteAsync("SUBSCRIBE", "news");
        int port = server.Port;
        int firstProcess = server.ProcessId;

        await server.StopAsync();

        Assert.False(server.IsRunning);
        Assert.Throws<InvalidOperationException>(() => server.ProcessId);
        await Assert.ThrowsAnyAsync<IOException>(() => subscriber.ReadReplyAsync());
        await Assert.ThrowsAsync<SocketException>(() => RedisCommands.ConnectAsync(port));

        await server.StartAgainAsync();

        Assert.Equal(port, server.Port);
        Assert.NotEqual(firstProcess, server.ProcessId);
        Assert.Equal("PONG", await server.Commands.PingAsync());
        Assert.Contains("--- start again", server.Log, StringComparison.Ordinal);
        Assert.Equal(2, CountOccurrences(server.Log, "Ready to accept connections"));
    }

    private static int CountOccurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
