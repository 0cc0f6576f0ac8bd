using System.Net.WebSockets;
using Annotated.WebSockets.Reliability.Tests.PeerFaults;

namespace Annotated.WebSockets.Reliability.Tests.HandlerFaults;

/// <summary>
/// A well-behaved session open on the same server (usually the same endpoint) while another session's handlers
/// fail: afterwards it must still answer, must have seen no error, and must close normally exactly once.
/// </summary>
internal sealed class Bystander : IDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly string _id;

    private Bystander(ClientWebSocket socket, string id)
    {
        _socket = socket;
        _id = id;
    }

    /// <summary>Connects to <c>{pathPrefix}/{id}</c>, a path whose endpoint records in <see cref="FaultLog"/>.</summary>
    public static async Task<Bystander> ConnectAsync(FaultHost host, string pathPrefix)
    {
        var id = FaultLog.NewId();
        return new Bystander(await host.ConnectAsync($"{pathPrefix}/{id}"), id);
    }

    /// <summary>Sends <paramref name="text"/>, expects <paramref name="expected"/>, checks the log is clean, closes.</summary>
    public async Task AssertUnaffectedAsync(string text, string expected)
    {
        Assert.Equal(expected, await _socket.EchoTextAsync(text));
        await _socket.CloseNormallyAsync();
        var log = FaultLog.For(_id);
        Assert.StartsWith("close:1000", await log.SingleAsync("close:"), StringComparison.Ordinal);
        Assert.True(log.Count("error:") == 0, $"The bystander saw errors: {string.Join(" | ", log.Entries)}");
    }

    public void Dispose() => _socket.Dispose();
}
