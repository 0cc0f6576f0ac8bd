using System.Text;
using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Annotated.WebSockets.Reliability.Tests.Handshake;

/// <summary>
/// The opening handshake under attack: a client that trickles its request is cut off by the handshake timeout,
/// an oversized header set is refused with 431 before any upgrade, and the server keeps serving normal clients.
/// </summary>
public sealed class HandshakeLimitTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_slowloris_handshake_is_cut_off_and_the_server_still_serves()
    {
        await using var host = await KestrelHost.StartAsync(options => options.HandshakeTimeout = TimeSpan.FromSeconds(2));
        await using var attacker = await RawTcpClient.ConnectTcpAsync(host.BaseAddress);
        var request = RawTcpClient.UpgradeRequest(host.BaseAddress, "/handshake/echo");
        using var stop = new CancellationTokenSource();

        // One byte every 200 ms: the whole request would take about half a minute.
        var trickle = Task.Run(async () =>
        {
            try
            {
                foreach (var b in request)
                {
                    await attacker.Stream.WriteAsync(new[] { b }, stop.Token);
                    await Task.Delay(200, stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The server cut the connection (or the test is over).
            }
        });

        var response = new StringBuilder();
        var closed = await ReadUntilClosedAsync(attacker, response, Bound);
        await stop.CancelAsync();
        await trickle.WaitAsync(Bound);
        Assert.True(closed, $"The trickling client was not cut off; the server sent: '{response}'");
        // Kestrel answers the late request with 408 before it closes; nothing was upgraded.
        Assert.StartsWith("HTTP/1.1 408", response.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, host.App.Services.GetRequiredService<ServerContainer>().Sessions.Count);

        using var client = await host.ConnectAsync("/handshake/echo");
        await client.SendTextAsync("still serving");
        Assert.Equal("still serving", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_oversized_header_set_is_refused_with_431_before_any_upgrade()
    {
        // The default limit (16 KiB), passed by many headers each well under any per-header limit.
        await using var host = await KestrelHost.StartAsync();
        var padding = Enumerable.Range(0, 40).Select(i => $"X-Pad-{i}: {new string('a', 500)}").ToArray();
        await using var attacker = await RawTcpClient.ConnectTcpAsync(host.BaseAddress);

        await attacker.UpgradeAsync("/handshake/echo", padding);

        Assert.Equal(431, attacker.StatusCode);
        Assert.DoesNotContain("Sec-WebSocket-Accept", attacker.ResponseHead, StringComparison.OrdinalIgnoreCase);
        using var client = await host.ConnectAsync("/handshake/echo");
        await client.SendTextAsync("ok");
        Assert.Equal("ok", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_header_limit_is_the_option_and_counts_names_and_values()
    {
        await using var host = await KestrelHost.StartAsync(options => options.MaxHandshakeHeaderBytes = 2048);

        // About 1.2 KiB of headers in all: upgraded.
        await using (var within = await RawTcpClient.ConnectAsync(host.BaseAddress, "/handshake/echo", 0, $"X-Pad: {new string('a', 1000)}"))
        {
            await within.Peer.SendTextAsync("fits");
            var echo = await within.Peer.ReadFrameAsync();
            Assert.NotNull(echo);
            Assert.Equal("fits", Encoding.UTF8.GetString(echo.Payload));
        }

        // About 2.2 KiB: refused, although far under Kestrel's own limits.
        await using var over = await RawTcpClient.ConnectTcpAsync(host.BaseAddress);
        await over.UpgradeAsync("/handshake/echo", $"X-Pad: {new string('a', 2000)}");
        Assert.Equal(431, over.StatusCode);
    }

    [Fact]
    public async Task A_header_set_past_the_http_servers_own_limit_never_reaches_the_endpoint()
    {
        await using var host = await KestrelHost.StartAsync(options => options.MaxHandshakeHeaderBytes = 1024 * 1024);
        await using var attacker = await RawTcpClient.ConnectTcpAsync(host.BaseAddress);

        // Over Kestrel's MaxRequestHeadersTotalSize (32 KiB): Kestrel answers 431 itself.
        await attacker.UpgradeAsync("/handshake/echo", $"X-Pad: {new string('a', 40 * 1024)}");

        Assert.Equal(431, attacker.StatusCode);
    }

    [Fact]
    public async Task The_handshake_timeout_sets_kestrels_header_timeout_unless_the_application_set_it()
    {
        await using (var ours = await KestrelHost.StartAsync(options => options.HandshakeTimeout = TimeSpan.FromSeconds(4)))
        {
            Assert.Equal(TimeSpan.FromSeconds(4), Kestrel(ours).Limits.RequestHeadersTimeout);
        }

        await using (var theirs = await KestrelHost.StartAsync(
            options => options.HandshakeTimeout = TimeSpan.FromSeconds(4),
            configureBuilder: builder => builder.WebHost.ConfigureKestrel(k => k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(7))))
        {
            Assert.Equal(TimeSpan.FromSeconds(7), Kestrel(theirs).Limits.RequestHeadersTimeout);
        }

        await using var unset = await KestrelHost.StartAsync();
        Assert.Equal(new KestrelServerLimits().RequestHeadersTimeout, Kestrel(unset).Limits.RequestHeadersTimeout);
    }

    [Fact]
    public void The_options_reject_values_that_are_not_finite_limits()
    {
        var options = new AnnotatedWebSocketsOptions();
        Assert.Equal(16 * 1024, options.MaxHandshakeHeaderBytes);
        Assert.Null(options.HandshakeTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.MaxHandshakeHeaderBytes = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.HandshakeTimeout = TimeSpan.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.HandshakeTimeout = Timeout.InfiniteTimeSpan);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ShutdownDrainTimeout = TimeSpan.FromSeconds(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.ShutdownDrainTimeout = Timeout.InfiniteTimeSpan);
    }

    private static KestrelServerOptions Kestrel(KestrelHost host) =>
        host.App.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;

    /// <summary>Reads whatever the server sends until it closes the connection; false when it is still open at the bound.</summary>
    private static async Task<bool> ReadUntilClosedAsync(RawTcpClient client, StringBuilder received, TimeSpan bound)
    {
        var buffer = new byte[1024];
        using var cts = new CancellationTokenSource(bound);
        try
        {
            while (true)
            {
                var read = await client.Stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    return true;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }
}
