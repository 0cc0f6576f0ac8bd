using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Integration.Tests.Endpoints;
using Annotated.WebSockets.Integration.Tests.Infrastructure;
using Annotated.WebSockets.Server;
using Annotated.WebSockets.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// Message rate limits over real Kestrel, on a fake clock: each action (delay, reject, close), other sessions
/// untouched by a flooding one, and the start-up errors. The fake time stands still unless a test advances it, so a
/// token comes back exactly when the test says; the real-time bounds only fail a test that hangs.
/// </summary>
public class RateLimitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Delay_stops_reading_until_a_token_is_free_and_loses_nothing()
    {
        const int Messages = 100;
        const int MessageBytes = 256 * 1024;   // 25 MiB in all: far more than the connection's buffers hold
        var test = Recorder.NewTestId();
        var recorder = Recorder.For(test);
        var clock = FakeClock.Create();
        await using var host = await StartAsync(
            clock,
            options =>
            {
                options.Sessions.MaxBinaryMessageBufferSize = MessageBytes;
                options.AddMessageRateLimitPolicy("bulk", policy => policy.AddLimit(10, TimeSpan.FromSeconds(1)));
            },
            binary: "bulk");
        using var client = await host.ConnectAsync($"/it/ratelimit/{test}");

        var sent = 0;
        var sending = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++)
            {
                var message = new byte[MessageBytes];
                BitConverter.TryWriteBytes(message, i);
                await client.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                Interlocked.Increment(ref sent);
            }
        });

        // The first ten take the burst; then the session reads nothing, and once the buffers are full the peer's
        // sends stop completing. (Waiting for the ten first: on a loaded machine the peer's sends can pause for the
        // stall check's 300 ms before the server has handled the tenth.)
        await WaitForCountAsync(() => recorder.Count("binary:"), 10);
        await FakeClock.WaitUntilStalledAsync(() => Volatile.Read(ref sent));
        Assert.Equal(10, recorder.Count("binary:"));
        Assert.True(Volatile.Read(ref sent) < Messages, $"all {Messages} sends completed: the server kept reading");

        // Each second of fake time lets exactly ten more through, until every message has arrived.
        for (var second = 1; second < Messages / 10; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await WaitForCountAsync(() => recorder.Count("binary:"), 10 * (second + 1));
            Assert.Equal(10 * (second + 1), recorder.Count("binary:"));
        }

        await sending.WaitAsync(Timeout);
        Assert.Equal(Enumerable.Range(0, Messages).Select(static i => $"binary:{i}"), recorder.Entries.Where(static e => e.StartsWith("binary:", StringComparison.Ordinal)));
        Assert.Equal(0, recorder.Count("error:"));
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Reject_drops_the_message_gives_OnError_a_MessageRateLimitedException_and_keeps_the_session()
    {
        var test = Recorder.NewTestId();
        var recorder = Recorder.For(test);
        var clock = FakeClock.Create();
        await using var host = await StartAsync(
            clock,
            options => options.AddMessageRateLimitPolicy("lines", policy =>
            {
                policy.AddLimit(2, TimeSpan.FromSeconds(1));
                policy.Action = MessageRateLimitAction.Reject;
            }),
            text: "lines");
        using var rateLimited = new MetricCollector<long>(
            host.App.Services.GetRequiredService<IMeterFactory>(), WebSocketTelemetry.ServerMeterName, "annotated_websockets.server.rate_limited");
        using var client = await host.ConnectAsync($"/it/ratelimit/{test}");

        foreach (var text in new[] { "a", "b", "c", "d" })
        {
            await client.SendTextAsync(text);
        }

        Assert.Equal("a", await client.ReceiveTextAsync());
        Assert.Equal("b", await client.ReceiveTextAsync());
        await WaitForCountAsync(() => recorder.Count("error:"), 2);
        clock.Advance(TimeSpan.FromSeconds(1));
        await client.SendTextAsync("e");

        Assert.Equal("e", await client.ReceiveTextAsync());
        Assert.Equal(
            ["text:a", "text:b", "error:MessageRateLimitedException:lines", "error:MessageRateLimitedException:lines", "text:e"],
            recorder.Entries);
        var error = Assert.IsType<MessageRateLimitedException>(recorder.Values[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.NotNull(error.Session);
        Assert.Equal(WebSocketState.Open, client.State);
        Assert.Equal(["rejected", "rejected"], rateLimited.GetMeasurementSnapshot().Select(static m => (string?)m.Tags["annotated_websockets.rate_limit.action"]));
        Assert.All(rateLimited.GetMeasurementSnapshot(), static m => Assert.Equal("/it/ratelimit/{test}", m.Tags["http.route"]));
    }

    [Fact]
    public async Task Close_rejects_within_the_budget_then_closes_with_1008_and_OnClose_runs_once()
    {
        var test = Recorder.NewTestId();
        var recorder = Recorder.For(test);
        var clock = FakeClock.Create();
        await using var host = await StartAsync(
            clock,
            options => options.AddMessageRateLimitPolicy("strict", policy =>
            {
                policy.AddLimit(1, TimeSpan.FromMinutes(1));
                policy.Action = MessageRateLimitAction.Close;
                policy.RejectionBudget = 1;
            }),
            endpoint: "strict");
        using var client = await host.ConnectAsync($"/it/ratelimit/{test}");

        foreach (var text in new[] { "a", "b", "c", "d" })
        {
            await client.SendTextAsync(text);
        }

        Assert.Equal("a", await client.ReceiveTextAsync());
        var (status, _) = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        await recorder.WaitForAsync("close:");
        Assert.Equal(["text:a", "error:MessageRateLimitedException:strict", "close:1008"], recorder.Entries);
    }

    [Fact]
    public async Task The_endpoints_policy_counts_every_data_message_and_a_handlers_policy_applies_after_it()
    {
        var test = Recorder.NewTestId();
        var recorder = Recorder.For(test);
        var clock = FakeClock.Create();
        await using var host = await StartAsync(
            clock,
            options => options
                .AddMessageRateLimitPolicy("all", policy =>
                {
                    policy.AddLimit(3, TimeSpan.FromMinutes(1));
                    policy.Action = MessageRateLimitAction.Reject;
                })
                .AddMessageRateLimitPolicy("lines", policy =>
                {
                    policy.AddLimit(1, TimeSpan.FromMinutes(1));
                    policy.Action = MessageRateLimitAction.Reject;
                }),
            endpoint: "all",
            text: "lines");
        using var client = await host.ConnectAsync($"/it/ratelimit/{test}");

        await client.SendTextAsync("t1");
        await client.SendTextAsync("t2");   // the endpoint's second token, then no line token
        foreach (var index in new[] { 1, 2 })
        {
            var message = new byte[4];
            BitConverter.TryWriteBytes(message, index);
            await client.SendAsync(message, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        }

        Assert.Equal("t1", await client.ReceiveTextAsync());
        await WaitForCountAsync(() => recorder.Entries.Count, 4);
        Assert.Equal(
            ["text:t1", "error:MessageRateLimitedException:lines", "binary:1", "error:MessageRateLimitedException:all"],
            recorder.Entries);
    }

    [Fact]
    public async Task A_flooding_session_does_not_slow_another_and_a_delayed_one_does_not_hold_the_shutdown()
    {
        var flooder = Recorder.NewTestId();
        var other = Recorder.NewTestId();
        var clock = FakeClock.Create();
        var host = await StartAsync(
            clock,
            options => options.AddMessageRateLimitPolicy("chat", policy => policy.AddLimit(1, TimeSpan.FromHours(1))),
            text: "chat");
        try
        {
            using var flooding = await host.ConnectAsync($"/it/ratelimit/{flooder}");
            using var quiet = await host.ConnectAsync($"/it/ratelimit/{other}");
            for (var i = 0; i < 50; i++)
            {
                await flooding.SendTextAsync($"flood{i}");
            }

            Assert.Equal("flood0", await flooding.ReceiveTextAsync());
            await quiet.SendTextAsync("hello");

            // Its own bucket: answered at once, with no fake time passing.
            Assert.Equal("hello", await quiet.ReceiveTextAsync());
            Assert.Equal(["text:flood0"], Recorder.For(flooder).Entries);
        }
        finally
        {
            // The shutdown's close cancels the delayed message's wait: the session closes without the hour passing.
            var stopping = host.DisposeAsync().AsTask();
            await clock.AdvanceUntilAsync(stopping, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
            await stopping;
        }

        Assert.Equal("close:1001", await Recorder.For(flooder).WaitForAsync("close:"));
        Assert.Equal(["text:flood0", "close:1001"], Recorder.For(flooder).Entries);
    }

    [Fact]
    public async Task A_message_waiting_for_a_token_is_not_closed_by_the_idle_timeout()
    {
        var test = Recorder.NewTestId();
        var recorder = Recorder.For(test);
        var clock = FakeClock.Create();
        await using var host = await StartAsync(
            clock,
            options =>
            {
                options.Sessions.MaxIdleTimeout = TimeSpan.FromMinutes(1);
                options.AddMessageRateLimitPolicy("slow", policy => policy.AddLimit(1, TimeSpan.FromMinutes(3)));
            },
            text: "slow");
        using var client = await host.ConnectAsync($"/it/ratelimit/{test}");

        await client.SendTextAsync("first");
        Assert.Equal("first", await client.ReceiveTextAsync());
        await client.SendTextAsync("second");
        var session = (EngineWebSocketSession)RateLimitEndpoint.Sessions[test];
        await FakeClock.WaitUntilAsync(() => session.IsWaitingForRateLimit, "the second message waits for a token");

        // Three idle timeouts' worth of fake time while "second" waits for its token: the session stays open, and
        // the message is delivered when the token comes back.
        clock.AdvanceInSteps(TimeSpan.FromMinutes(3), TimeSpan.FromSeconds(1));
        Assert.Equal("second", await client.ReceiveTextAsync());
        Assert.Equal(["text:first", "text:second"], recorder.Entries);
    }

    [Fact]
    public async Task A_policy_name_that_is_not_configured_fails_deployment_at_start_up()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() => StartAsync(
            FakeClock.Create(),
            options => options.AddMessageRateLimitPolicy("chat", policy => policy.AddLimit(20, TimeSpan.FromSeconds(1))),
            text: "chta"));

        Assert.Contains("'chta'", error.Message, StringComparison.Ordinal);
        Assert.Contains("configured: 'chat'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_limit_of_zero_is_refused_at_start_up()
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartAsync(
            FakeClock.Create(),
            options => options.AddMessageRateLimitPolicy("chat", policy => policy.AddLimit(0, TimeSpan.FromSeconds(1))),
            text: "chat"));

        Assert.Contains("token limit must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_without_a_bucket_fails_deployment_at_start_up()
    {
        var error = await Assert.ThrowsAsync<DeploymentException>(() => StartAsync(
            FakeClock.Create(),
            options => options.AddMessageRateLimitPolicy("chat", _ => { }),
            text: "chat"));

        Assert.Contains("'chat' has no token bucket", error.Message, StringComparison.Ordinal);
    }

    // A host of its own on the fake clock, serving RateLimitEndpoint with the given policy names.
    private static async Task<KestrelHost> StartAsync(
        FakeTimeProvider clock,
        Action<AnnotatedWebSocketsOptions> configure,
        string? endpoint = null,
        string? text = null,
        string? binary = null)
    {
        var generated = AnnotatedEndpointRegistry.Find(typeof(RateLimitEndpoint))
            ?? throw new InvalidOperationException("The generator did not register RateLimitEndpoint.");
        var definition = new AnnotatedEndpointDefinition
        {
            EndpointType = generated.EndpointType,
            Path = generated.Path,
            Text = generated.Text,
            Binary = generated.Binary,
            HandlesPong = generated.HandlesPong,
            MaxTextMessageSize = generated.MaxTextMessageSize,
            MaxBinaryMessageSize = generated.MaxBinaryMessageSize,
            UsesServices = generated.UsesServices,
            CreateEndpoint = generated.CreateEndpoint,
            CreateDispatcher = generated.CreateDispatcher,
            RateLimitPolicy = endpoint,
            TextRateLimitPolicy = text,
            BinaryRateLimitPolicy = binary,
        };
        return await KestrelHost.StartAsync(
            configure,
            services: services => services.AddSingleton<TimeProvider>(clock),
            mapEndpoints: app => AnnotatedWebSocketsEndpointRouteBuilderExtensions.MapAnnotatedWebSocketEndpoints(app, [definition]));
    }

    private static Task WaitForCountAsync(Func<int> count, int expected) =>
        FakeClock.WaitUntilAsync(() => count() >= expected, $"{expected} have arrived");
}
