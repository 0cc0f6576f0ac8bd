using System.Diagnostics;
using System.Globalization;
using Annotated.WebSockets.Server;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Annotated.WebSockets.Reliability.Tests.Load;

/// <summary>
/// Issue 9, load: 10,000 WebSocket connections open at the same time on a real Kestrel (the default
/// <see cref="AnnotatedWebSocketsOptions.MaxConcurrentConnections"/>), each exchanging numbered messages, with nothing
/// lost, duplicated or reordered on either side; every session closes cleanly and the server's memory is reported.
/// The clients run in a child process (<see cref="LoadClientProgram"/> says why).
/// </summary>
[Collection(nameof(LoadCollection))]
public sealed class TenThousandConnectionsTests(ITestOutputHelper output)
{
    private const int Connections = 10_000;
    private const int MessagesPerConnection = 4;
    private const int ConnectConcurrency = 100;

    // Every wait is bounded; together they stay under the suite's 5-minute hang timeout (test.sh --blame-hang-timeout).
    [Fact]
    public async Task Ten_thousand_concurrent_connections_each_get_their_own_messages_back_in_order()
    {
        var total = Stopwatch.StartNew();
        var limit = FileDescriptorLimit.Require(Connections + 1024);
        output.WriteLine($"server process: {limit}");

        var ledger = new LoadLedger();
        await using var host = await KestrelHost.StartAsync(services: services => services.AddSingleton(ledger));
        var tracker = host.App.Services.GetRequiredService<ServerSessionTracker>();
        var baseline = ServerMemory.Sample();
        output.WriteLine($"baseline: {baseline}");

        using var client = LoadClientProcess.Start(host.BaseAddress.Port, "/load/echo", Connections, MessagesPerConnection, ConnectConcurrency);
        var opened = await client.ExpectAsync("open", TimeSpan.FromSeconds(90));
        output.WriteLine($"client process: {client.LastInformation}");
        output.WriteLine($"client: {opened}");

        // The 101 is written before the session's open handler runs: wait for the server to count them all.
        await WaitUntilAsync(() => tracker.Count == Connections, TimeSpan.FromSeconds(20));
        Assert.Equal(Connections, tracker.Count);
        Assert.Equal(Connections, ledger.Opened);
        var open = ServerMemory.Sample();
        output.WriteLine($"{Connections} open: {open}");
        output.WriteLine($"per connection: {open.PerConnectionSince(baseline, Connections)}");

        await client.SendAsync("exchange");
        output.WriteLine($"client: {await client.ExpectAsync("exchanged", TimeSpan.FromSeconds(45))}");
        Assert.Equal(Connections, tracker.Count);
        output.WriteLine($"after the exchange: {ServerMemory.Sample()}");

        await client.SendAsync("close");
        output.WriteLine($"client: {await client.ExpectAsync("closed", TimeSpan.FromSeconds(45))}");
        Assert.Equal(0, await client.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        await WaitUntilAsync(() => tracker.Count == 0 && ledger.Closed == Connections, TimeSpan.FromSeconds(20));
        // Sockets are released shortly after the sessions end.
        await WaitUntilAsync(() => ServerMemory.OpenFileDescriptors() < baseline.FileDescriptors + 200, TimeSpan.FromSeconds(10));
        var closed = ServerMemory.Sample();
        output.WriteLine($"all closed: {closed}");
        output.WriteLine($"server ledger: {ledger}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"total {total.Elapsed.TotalSeconds:F1} s"));

        Assert.Empty(ledger.Problems);
        Assert.Equal(0, ledger.ProblemCount);
        Assert.Equal((long)Connections * MessagesPerConnection, ledger.Messages);
        Assert.Equal(0, tracker.Count);
        Assert.Equal(Connections, ledger.Closed);
        Assert.Equal(new Dictionary<CloseCode, int> { [CloseCode.NormalClosure] = Connections }, ledger.CloseCodes);
        if (baseline.FileDescriptors >= 0)
        {
            Assert.InRange(closed.FileDescriptors, 0, baseline.FileDescriptors + 199);
        }

        // A sanity bound only, far above what a session costs: 10,000 sessions in under 2.5 GiB of managed heap.
        Assert.InRange(open.GcHeapBytes - baseline.GcHeapBytes, long.MinValue, Connections * 256L * 1024);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < timeout)
        {
            await Task.Delay(50);
        }
    }
}
