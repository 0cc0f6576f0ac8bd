using Annotated.WebSockets.Client;
using Annotated.WebSockets.Protocol;
using Annotated.WebSockets.Runtime.Tests.Client;
using Annotated.WebSockets.Runtime.Tests.Server;
using Annotated.WebSockets.Server;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// The one options type both containers give their sessions: its documented defaults, every setter's checks, and
/// the values reaching the sessions of the server and of the client.
/// </summary>
public sealed class WebSocketSessionOptionsTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_tooLong = TimeSpan.FromMilliseconds(int.MaxValue) + TimeSpan.FromMilliseconds(1);

    /// <summary>Each setter, with values it must reject.</summary>
    public static TheoryData<string, object> RejectedValues => new()
    {
        { nameof(WebSocketSessionOptions.MaxTextMessageBufferSize), 0 },
        { nameof(WebSocketSessionOptions.MaxTextMessageBufferSize), -1 },
        { nameof(WebSocketSessionOptions.MaxBinaryMessageBufferSize), 0 },
        { nameof(WebSocketSessionOptions.MaxBinaryMessageBufferSize), int.MinValue },
        { nameof(WebSocketSessionOptions.MaxFramePayloadSize), 0 },
        { nameof(WebSocketSessionOptions.MaxFramePayloadSize), -1 },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), TimeSpan.FromSeconds(-2) },
        { nameof(WebSocketSessionOptions.KeepAlivePingInterval), TimeSpan.FromMilliseconds(-2) },
        { nameof(WebSocketSessionOptions.KeepAlivePingInterval), s_tooLong },
        { nameof(WebSocketSessionOptions.AsyncSendTimeout), TimeSpan.FromSeconds(-30) },
        { nameof(WebSocketSessionOptions.AsyncSendTimeout), TimeSpan.MaxValue },
        { nameof(WebSocketSessionOptions.CloseTimeout), TimeSpan.Zero },
        { nameof(WebSocketSessionOptions.CloseTimeout), TimeSpan.FromSeconds(-1) },
        { nameof(WebSocketSessionOptions.CloseTimeout), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.CloseTimeout), s_tooLong },
        { nameof(WebSocketSessionOptions.MessageReceiveTimeout), TimeSpan.Zero },
        { nameof(WebSocketSessionOptions.MessageReceiveTimeout), TimeSpan.FromSeconds(-2) },
        { nameof(WebSocketSessionOptions.MessageReceiveTimeout), s_tooLong },
        { nameof(WebSocketSessionOptions.MaxQueuedSendBytes), 0L },
        { nameof(WebSocketSessionOptions.MaxQueuedSendBytes), -1L },
        { nameof(WebSocketSessionOptions.MaxQueuedSendMessages), 0 },
        { nameof(WebSocketSessionOptions.MaxQueuedSendMessages), -1 },
        { nameof(WebSocketSessionOptions.SendQueueTimeout), TimeSpan.Zero },
        { nameof(WebSocketSessionOptions.SendQueueTimeout), TimeSpan.FromMilliseconds(-5) },
        { nameof(WebSocketSessionOptions.SendQueueTimeout), s_tooLong },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), CloseCode.NormalClosure },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), CloseCode.GoingAway },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), CloseCode.ClosedAbnormally },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), CloseCode.TooBig },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), (CloseCode)4000 },
    };

    /// <summary>Each setter, with edge values it must accept (zero and infinite where they mean none).</summary>
    public static TheoryData<string, object> AcceptedValues => new()
    {
        { nameof(WebSocketSessionOptions.MaxTextMessageBufferSize), int.MaxValue },
        { nameof(WebSocketSessionOptions.MaxFramePayloadSize), 1 },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), TimeSpan.Zero },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), TimeSpan.FromMilliseconds(int.MaxValue) },
        // Checked on the heartbeat only, so longer than any timer takes (Jakarta allows any long of milliseconds).
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), s_tooLong },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), TimeSpan.FromDays(50) },
        { nameof(WebSocketSessionOptions.MaxIdleTimeout), TimeSpan.MaxValue },
        { nameof(WebSocketSessionOptions.KeepAlivePingInterval), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.KeepAlivePingInterval), TimeSpan.FromSeconds(20) },
        { nameof(WebSocketSessionOptions.AsyncSendTimeout), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.AsyncSendTimeout), TimeSpan.FromSeconds(30) },
        { nameof(WebSocketSessionOptions.CloseTimeout), TimeSpan.FromMilliseconds(int.MaxValue) },
        { nameof(WebSocketSessionOptions.MessageReceiveTimeout), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.MaxQueuedSendBytes), long.MaxValue },
        { nameof(WebSocketSessionOptions.SendQueueTimeout), Timeout.InfiniteTimeSpan },
        { nameof(WebSocketSessionOptions.SendQueueTimeoutCloseCode), CloseCode.UnexpectedCondition },
    };

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new WebSocketSessionOptions();

        Assert.Equal(1024 * 1024, options.MaxTextMessageBufferSize);
        Assert.Equal(1024 * 1024, options.MaxBinaryMessageBufferSize);
        Assert.Equal(1024 * 1024, options.MaxFramePayloadSize);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxIdleTimeout);
        Assert.Equal(TimeSpan.Zero, options.KeepAlivePingInterval);
        Assert.Equal(TimeSpan.Zero, options.AsyncSendTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.CloseTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MessageReceiveTimeout);
        Assert.Equal(1024 * 1024, options.MaxQueuedSendBytes);
        Assert.Equal(1024, options.MaxQueuedSendMessages);
        Assert.Equal(TimeSpan.FromSeconds(30), options.SendQueueTimeout);
        Assert.Equal(CloseCode.ViolatedPolicy, options.SendQueueTimeoutCloseCode);
    }

    [Fact]
    public async Task Both_containers_start_from_the_same_defaults_with_no_async_send_timeout()
    {
        await using var container = WebSocketContainer.Create();
        var server = new AnnotatedWebSocketsOptions().Sessions;
        var client = container.SessionOptions;

        foreach (var property in typeof(WebSocketSessionOptions).GetProperties())
        {
            Assert.Equal(property.GetValue(new WebSocketSessionOptions()), property.GetValue(server));
            Assert.Equal(property.GetValue(new WebSocketSessionOptions()), property.GetValue(client));
        }

        Assert.Equal(TimeSpan.Zero, server.AsyncSendTimeout);
        Assert.Equal(TimeSpan.Zero, container.DefaultAsyncSendTimeout);
    }

    [Theory]
    [MemberData(nameof(RejectedValues))]
    public async Task Every_setter_rejects_a_value_that_cannot_work_on_either_side(string name, object value)
    {
        await using var container = WebSocketContainer.Create();
        var property = typeof(WebSocketSessionOptions).GetProperty(name)!;

        foreach (var options in new[] { new AnnotatedWebSocketsOptions().Sessions, container.SessionOptions })
        {
            var before = property.GetValue(options);
            var error = Assert.Throws<System.Reflection.TargetInvocationException>(() => property.SetValue(options, value));
            var outOfRange = Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
            Assert.Equal(value, outOfRange.ActualValue);
            Assert.Equal(before, property.GetValue(options));
        }
    }

    [Theory]
    [MemberData(nameof(AcceptedValues))]
    public void Every_setter_keeps_a_value_it_accepts(string name, object value)
    {
        var options = new WebSocketSessionOptions();
        var property = typeof(WebSocketSessionOptions).GetProperty(name)!;

        property.SetValue(options, value);

        Assert.Equal(value, property.GetValue(options));
    }

    [Fact]
    public async Task The_client_containers_Jakarta_members_are_facades_over_its_session_options()
    {
        await using var container = WebSocketContainer.Create();

        container.DefaultMaxSessionIdleTimeout = TimeSpan.FromSeconds(7);
        container.DefaultMaxTextMessageBufferSize = 111;
        container.DefaultMaxBinaryMessageBufferSize = 222;
        container.DefaultAsyncSendTimeout = TimeSpan.FromSeconds(3);
        Assert.Equal(TimeSpan.FromSeconds(7), container.SessionOptions.MaxIdleTimeout);
        Assert.Equal(111, container.SessionOptions.MaxTextMessageBufferSize);
        Assert.Equal(222, container.SessionOptions.MaxBinaryMessageBufferSize);
        Assert.Equal(TimeSpan.FromSeconds(3), container.SessionOptions.AsyncSendTimeout);

        container.SessionOptions.MaxIdleTimeout = TimeSpan.FromSeconds(8);
        container.SessionOptions.AsyncSendTimeout = Timeout.InfiniteTimeSpan;
        Assert.Equal(TimeSpan.FromSeconds(8), container.DefaultMaxSessionIdleTimeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, container.DefaultAsyncSendTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.DefaultMaxBinaryMessageBufferSize = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => container.DefaultAsyncSendTimeout = TimeSpan.FromSeconds(-1));
    }

    [Fact]
    public void A_copy_has_every_value_and_does_not_follow_later_changes()
    {
        var options = Configured(new WebSocketSessionOptions());

        var copy = options.Clone();
        options.MaxIdleTimeout = TimeSpan.FromSeconds(1);

        foreach (var property in typeof(WebSocketSessionOptions).GetProperties().Where(p => p.Name != nameof(WebSocketSessionOptions.MaxIdleTimeout)))
        {
            Assert.Equal(property.GetValue(options), property.GetValue(copy));
        }

        Assert.Equal(TimeSpan.FromSeconds(41), copy.MaxIdleTimeout);
    }

    [Fact]
    public void The_session_settings_carry_every_value()
    {
        var options = Configured(new WebSocketSessionOptions());

        var settings = options.ToSessionSettings();

        Assert.Equal(1000, settings.MaxTextMessageBufferSize);
        Assert.Equal(2000, settings.MaxBinaryMessageBufferSize);
        Assert.Equal(TimeSpan.FromSeconds(41), settings.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(42), settings.KeepAlivePingInterval);
        Assert.Equal(TimeSpan.FromSeconds(43), settings.SendTimeout);
        Assert.Equal(TimeSpan.FromSeconds(44), settings.CloseTimeout);
        Assert.Equal(5000, settings.MaxQueuedSendBytes);
        Assert.Equal(6, settings.MaxQueuedSendMessages);
        Assert.Equal(TimeSpan.FromSeconds(46), settings.SendQueueTimeout);
        Assert.Equal(CloseCode.UnexpectedCondition, settings.SendQueueTimeoutCloseCode);
    }

    [Fact]
    public void The_engine_options_carry_the_shared_values_and_the_connections_own()
    {
        var options = Configured(new WebSocketSessionOptions());
        var deflate = new PerMessageDeflateOptions { Enabled = true };
        var parameters = new PerMessageDeflateParameters();

        var server = options.ToEngineOptions(WebSocketRole.Server, writesReachPeer: true, TimeProvider.System, parameters, deflate);
        var plain = options.ToEngineOptions(WebSocketRole.Server, writesReachPeer: false, TimeProvider.System, deflate: null, deflate);

        Assert.Equal(WebSocketRole.Server, server.Role);
        Assert.Equal(3000, server.MaxFramePayloadSize);
        Assert.Equal(2000, server.MaxMessageSize);
        Assert.Equal(TimeSpan.FromSeconds(45), server.MessageReceiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(44), server.CloseTimeout);
        Assert.Equal(5000, server.MaxQueuedSendBytes);
        Assert.True(server.DeliverPings);
        Assert.True(server.WritesReachPeer);
        Assert.Same(parameters, server.Deflate);
        Assert.Same(deflate, server.DeflateOptions);
        Assert.False(plain.WritesReachPeer);
        Assert.Null(plain.Deflate);
        Assert.Null(plain.DeflateOptions);
        Assert.Same(TimeProvider.System, server.TimeProvider);
    }

    [Fact]
    public void A_server_applies_the_frame_limit_as_set_and_a_client_raises_it_to_its_largest_message_limit()
    {
        var options = new WebSocketSessionOptions { MaxFramePayloadSize = 100, MaxTextMessageBufferSize = 1000, MaxBinaryMessageBufferSize = 500 };

        Assert.Equal(100, options.ToEngineOptions(WebSocketRole.Server, writesReachPeer: true, clock: TimeProvider.System, endpointMessageLimit: 4000).MaxFramePayloadSize);
        Assert.Equal(1000, options.ToEngineOptions(WebSocketRole.Client, writesReachPeer: true, TimeProvider.System).MaxFramePayloadSize);
        var client = options.ToEngineOptions(WebSocketRole.Client, writesReachPeer: true, clock: TimeProvider.System, endpointMessageLimit: 4000);
        Assert.Equal(4000, client.MaxFramePayloadSize);
        Assert.Equal(4000, client.MaxMessageSize);
        options.MaxFramePayloadSize = 9000;
        Assert.Equal(9000, options.ToEngineOptions(WebSocketRole.Client, writesReachPeer: true, TimeProvider.System).MaxFramePayloadSize);
        Assert.Equal(int.MaxValue, options.ToEngineOptions(WebSocketRole.Client, writesReachPeer: true, clock: TimeProvider.System, endpointMessageLimit: long.MaxValue).MaxMessageSize);
    }

    [Fact]
    public async Task The_server_gives_its_sessions_the_configured_values()
    {
        var seen = new TaskCompletionSource<(TimeSpan Idle, int Text, int Binary, TimeSpan Send)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new ScriptedEndpoint
        {
            OnOpen = session =>
            {
                seen.TrySetResult((session.MaxIdleTimeout, session.MaxTextMessageBufferSize, session.MaxBinaryMessageBufferSize, session.AsyncRemote.SendTimeout));
                return default;
            },
        };
        await using var host = await ServerTestHost.StartAsync("/options/server", endpoint, options =>
        {
            options.Sessions.MaxIdleTimeout = TimeSpan.FromSeconds(41);
            options.Sessions.MaxTextMessageBufferSize = 1000;
            options.Sessions.MaxBinaryMessageBufferSize = 2000;
            options.Sessions.AsyncSendTimeout = TimeSpan.FromSeconds(43);
        });
        using var client = await host.ConnectAsync("/options/server");

        Assert.Equal((TimeSpan.FromSeconds(41), 1000, 2000, TimeSpan.FromSeconds(43)), await seen.Task.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task The_server_sessions_have_no_async_send_timeout_by_default()
    {
        var seen = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = new ScriptedEndpoint
        {
            OnOpen = session =>
            {
                seen.TrySetResult(session.AsyncRemote.SendTimeout);
                return default;
            },
        };
        await using var host = await ServerTestHost.StartAsync("/options/default", endpoint);
        using var client = await host.ConnectAsync("/options/default");

        Assert.Equal(TimeSpan.Zero, await seen.Task.WaitAsync(s_timeout));
    }

    [Fact]
    public async Task The_client_gives_its_sessions_the_configured_values_and_no_async_send_timeout_by_default()
    {
        await using var server = await ClientTestServer.StartAsync();
        await using var container = WebSocketContainer.Create();

        var plain = await container.ConnectToServerAsync(new RecordingClientEndpoint(), server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);
        Configured(container.SessionOptions);
        var configured = await container.ConnectToServerAsync(new RecordingClientEndpoint(), server.WebSocketUri("/client-tests/echo", ServerLog.NewId())).WaitAsync(s_timeout);

        Assert.Equal(TimeSpan.Zero, plain.AsyncRemote.SendTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), plain.MaxIdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(41), configured.MaxIdleTimeout);
        Assert.Equal(1000, configured.MaxTextMessageBufferSize);
        Assert.Equal(2000, configured.MaxBinaryMessageBufferSize);
        Assert.Equal(TimeSpan.FromSeconds(43), configured.AsyncRemote.SendTimeout);
        await plain.CloseAsync().WaitAsync(s_timeout);
        await configured.CloseAsync().WaitAsync(s_timeout);
    }

    private static WebSocketSessionOptions Configured(WebSocketSessionOptions options)
    {
        options.MaxTextMessageBufferSize = 1000;
        options.MaxBinaryMessageBufferSize = 2000;
        options.MaxFramePayloadSize = 3000;
        options.MaxIdleTimeout = TimeSpan.FromSeconds(41);
        options.KeepAlivePingInterval = TimeSpan.FromSeconds(42);
        options.AsyncSendTimeout = TimeSpan.FromSeconds(43);
        options.CloseTimeout = TimeSpan.FromSeconds(44);
        options.MessageReceiveTimeout = TimeSpan.FromSeconds(45);
        options.MaxQueuedSendBytes = 5000;
        options.MaxQueuedSendMessages = 6;
        options.SendQueueTimeout = TimeSpan.FromSeconds(46);
        options.SendQueueTimeoutCloseCode = CloseCode.UnexpectedCondition;
        return options;
    }
}
