using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// The server's metrics after real traffic over Kestrel, read from the real instruments with <c>MetricCollector</c>:
/// values and tags (route template, directions, message types, close code, initiator, error type), and that a +1 is
/// always matched by a −1 with the same tags.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private KestrelHost _host = null!;

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_session_is_counted_active_then_timed_with_its_close_code_and_who_closed()
    {
        using var active = Collect<long>("annotated_websockets.server.active_connections");
        using var duration = Collect<double>("annotated_websockets.server.connection.duration");
        using var handshakes = Collect<double>("annotated_websockets.server.handshake.duration");
        var test = Recorder.NewTestId();

        using var client = await _host.ConnectAsync($"/it/echo/{test}");
        await Recorder.For(test).WaitForAsync("open");
        var opened = Assert.Single(active.GetMeasurementSnapshot());
        Assert.Equal(1, opened.Value);
        Assert.Equal("/it/echo/{test}", opened.Tags["http.route"]);
        var handshake = Assert.Single(handshakes.GetMeasurementSnapshot());
        Assert.Equal(101, handshake.Tags["http.response.status_code"]);
        Assert.Equal("/it/echo/{test}", handshake.Tags["http.route"]);

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await duration.WaitForMeasurementsAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        var closed = active.GetMeasurementSnapshot()[1];
        Assert.Equal(-1, closed.Value);
        Assert.Equal(opened.Tags, closed.Tags);
        var ended = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.True(ended.Value > 0);
        Assert.Equal("/it/echo/{test}", ended.Tags["http.route"]);
        Assert.Equal("1000", ended.Tags["annotated_websockets.close.code"]);
        Assert.Equal("client", ended.Tags["annotated_websockets.close.initiator"]);
        Assert.False(ended.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task Messages_and_wire_bytes_are_counted_by_direction_and_type()
    {
        using var messages = Collect<long>("annotated_websockets.server.messages");
        using var io = Collect<long>("annotated_websockets.server.io");
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/echo/{test}");
        await Recorder.For(test).WaitForAsync("open");

        await client.SendTextAsync("hello");
        Assert.Equal("hello", await client.ReceiveTextAsync());
        await client.SendBinaryAsync([1, 2, 3]);
        Assert.Equal([1, 2, 3], (await client.ReceiveMessageAsync()).Data);

        var counted = messages.GetMeasurementSnapshot()
            .Select(static m => $"{m.Tags["network.io.direction"]}:{m.Tags["annotated_websockets.message.type"]}:{m.Value}")
            .ToArray();
        Assert.Equal(["receive:text:1", "transmit:text:1", "receive:binary:1", "transmit:binary:1"], counted);

        // Bytes on the wire: a client frame of 5 bytes is 2 + 4 (mask) + 5, the server's answer 2 + 5; then 2 + 4 + 3 and 2 + 3.
        var bytes = io.GetMeasurementSnapshot().Select(static m => $"{m.Tags["network.io.direction"]}:{m.Value}").ToArray();
        Assert.Equal(["receive:11", "transmit:7", "receive:9", "transmit:5"], bytes);
        Assert.All(io.GetMeasurementSnapshot(), static m => Assert.Equal("/it/echo/{test}", m.Tags["http.route"]));
    }

    [Fact]
    public async Task Handler_calls_are_timed_by_kind_with_a_closed_list_error_type()
    {
        using var handlers = Collect<double>("annotated_websockets.server.handler.duration");
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/throws/{test}");
        await client.SendTextAsync("fine");
        Assert.Equal("ok:fine", await client.ReceiveTextAsync());
        await client.SendTextAsync("async");
        Assert.StartsWith("error:FormatException", await client.ReceiveTextAsync(), StringComparison.Ordinal);

        var calls = handlers.GetMeasurementSnapshot()
            .Select(static m => $"{m.Tags["annotated_websockets.handler"]}:{(m.Tags.TryGetValue("error.type", out var e) ? e : "-")}")
            .ToArray();
        Assert.Equal(["open:-", "message:-", "message:exception", "error:-"], calls);   // the failed call ends, then OnError runs
    }

    [Fact]
    public async Task A_refused_handshake_is_counted_by_status_and_reason()
    {
        await using var host = await KestrelHost.StartAsync(options => options.AllowedOrigins.Add("https://good.example"));
        using var rejected = new MetricCollector<long>(host.App.Services.GetRequiredService<IMeterFactory>(), WebSocketTelemetry.ServerMeterName, "annotated_websockets.server.rejected_connections");
        var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() => host.ConnectAsync(
            $"/it/echo/{Recorder.NewTestId()}", options => options.SetRequestHeader("Origin", "https://evil.example")));

        var measurement = Assert.Single(rejected.GetMeasurementSnapshot(), static m => (string?)m.Tags["error.type"] == "origin_not_allowed");
        Assert.Equal(403, measurement.Tags["http.response.status_code"]);
        Assert.Equal("/it/echo/{test}", measurement.Tags["http.route"]);
        _ = refused;
    }

    [Fact]
    public async Task An_idle_timeout_ends_the_session_with_error_type_idle_timeout_closed_by_the_server()
    {
        var clock = FakeClock.Create();
        await using var host = await KestrelHost.StartAsync(
            options => options.Sessions.MaxIdleTimeout = TimeSpan.FromMilliseconds(200),
            services: services => services.AddSingleton<TimeProvider>(clock));
        using var duration = new MetricCollector<double>(host.App.Services.GetRequiredService<IMeterFactory>(), WebSocketTelemetry.ServerMeterName, "annotated_websockets.server.connection.duration");
        var test = Recorder.NewTestId();
        using var client = await host.ConnectAsync($"/it/echo/{test}");
        await Recorder.For(test).WaitForAsync("open");
        var closing = client.ReceiveCloseAsync();

        await clock.AdvanceUntilAsync(closing, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1));
        await duration.WaitForMeasurementsAsync(1).WaitAsync(TimeSpan.FromSeconds(10));

        var ended = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal("idle_timeout", ended.Tags["error.type"]);
        Assert.Equal("server", ended.Tags["annotated_websockets.close.initiator"]);
    }

    [Fact]
    public async Task Nothing_is_recorded_for_a_session_that_opened_before_anyone_listened()
    {
        var test = Recorder.NewTestId();
        using var client = await _host.ConnectAsync($"/it/echo/{test}");
        await Recorder.For(test).WaitForAsync("open");
        using var active = Collect<long>("annotated_websockets.server.active_connections");

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await Recorder.For(test).WaitForAsync("close:");

        Assert.Empty(active.GetMeasurementSnapshot());   // no −1 without its +1
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct =>
        new(_host.App.Services.GetRequiredService<IMeterFactory>(), WebSocketTelemetry.ServerMeterName, instrument);
}
