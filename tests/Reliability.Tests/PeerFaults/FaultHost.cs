using Annotated.WebSockets.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// A <see cref="KestrelHost"/> with what the fault tests need to prove that nothing leaks: the number of open
/// sessions (the runtime's own session tracker), the number of connections whose request is still running
/// (a middleware around every request: the upgraded request only ends once the session's loop, OnClose, the
/// engine and the DI scope are done), and the runtime's log.
/// </summary>
public sealed class FaultHost : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly KestrelHost _host;
    private readonly ServerSessionTracker _tracker;
    private readonly StrongCounter _inFlight;
    private bool _disposed;

    private FaultHost(KestrelHost host, StrongCounter inFlight, CapturedLogs logs)
    {
        _host = host;
        _inFlight = inFlight;
        Logs = logs;
        _tracker = host.App.Services.GetRequiredService<ServerSessionTracker>();
    }

    public Uri BaseAddress => _host.BaseAddress;

    public CapturedLogs Logs { get; }

    /// <summary>Sessions the runtime counts as open, over every endpoint.</summary>
    public int OpenSessions => _tracker.Count;

    /// <summary>Requests (upgraded connections included) whose handling has not finished.</summary>
    public int RunningRequests => _inFlight.Value;

    public static async Task<FaultHost> StartAsync(Action<AnnotatedWebSocketsOptions>? configure = null)
    {
        var logs = new CapturedLogs();
        var inFlight = new StrongCounter();
        var host = await KestrelHost.StartAsync(
            configure,
            configureBuilder: builder =>
            {
                builder.Logging.AddProvider(logs);
                builder.Logging.AddFilter<CapturedLogs>("Annotated.WebSockets", LogLevel.Debug);
            },
            map: app => app.Use(async (context, next) =>
            {
                // Runs between routing and the endpoint, so it wraps the whole WebSocket session.
                inFlight.Increment();
                try
                {
                    await next(context);
                }
                finally
                {
                    inFlight.Decrement();
                }
            }));
        return new FaultHost(host, inFlight, logs);
    }

    public Task<System.Net.WebSockets.ClientWebSocket> ConnectAsync(string pathAndQuery) => _host.ConnectAsync(pathAndQuery);

    internal Task<RawTcpClient> ConnectRawAsync(string pathAndQuery) => RawTcpClient.ConnectAsync(_host.BaseAddress, pathAndQuery);

    /// <summary>
    /// Waits (at most 10 s) until no session is open and no request is running, and fails with both numbers
    /// otherwise: a session or connection task that outlives its peer is a leak.
    /// </summary>
    public async Task AssertNothingLeftRunningAsync()
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline && (OpenSessions != 0 || RunningRequests != 0))
        {
            await Task.Delay(20);
        }

        Assert.True(
            OpenSessions == 0 && RunningRequests == 0,
            $"Left running after every peer went away: {OpenSessions} open session(s), {RunningRequests} running request(s).");
    }

    /// <summary>Stops the host and fails if that takes longer than the bound (something refused to end).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _host.DisposeAsync().AsTask().WaitAsync(Bound);
    }

    private sealed class StrongCounter
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);

        public void Decrement() => Interlocked.Decrement(ref _value);
    }
}
