using System.Text;

namespace Annotated.WebSockets.Reliability.Tests.Infrastructure;

/// <summary>The hand-played TCP client the attack tests build on: a clean echo and a clean close over a real socket.</summary>
public sealed class RawTcpClientTests
{
    [Fact]
    public async Task Upgrades_echoes_and_closes_over_a_real_socket()
    {
        await using var host = await KestrelHost.StartAsync();
        await using var client = await RawTcpClient.ConnectAsync(host.BaseAddress, "/infra/echo");

        await client.Peer.SendTextAsync("hello");
        var echo = await client.Peer.ReadFrameAsync();
        Assert.NotNull(echo);
        Assert.Equal(1, echo.Opcode);
        Assert.False(echo.Masked);
        Assert.Equal("hello", Encoding.UTF8.GetString(echo.Payload));

        await client.Peer.SendCloseAsync(1000, "bye");
        var close = await client.Peer.ReadCloseAsync();
        Assert.Equal((ushort)1000, close.CloseCode);
        Assert.True(await client.IsClosedByServerAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_request_without_the_upgrade_headers_is_not_switched()
    {
        await using var host = await KestrelHost.StartAsync();
        await using var client = await RawTcpClient.ConnectTcpAsync(host.BaseAddress);
        await client.Stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /infra/echo HTTP/1.1\r\nHost: {host.BaseAddress.Authority}\r\n\r\n"));

        var head = await client.ReadResponseHeadAsync();
        Assert.StartsWith("HTTP/1.1 4", head, StringComparison.Ordinal);
    }
}

/// <summary>Echoes each text message.</summary>
[ServerEndpoint("/infra/echo")]
public sealed class InfrastructureEchoEndpoint
{
    [OnMessage]
    public string Echo(string text) => text;
}
