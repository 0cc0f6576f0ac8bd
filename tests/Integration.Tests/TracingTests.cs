using System.Collections.Concurrent;
using System.Diagnostics;
using Annotated.WebSockets.Client;
using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Integration.Tests.Infrastructure;

namespace Annotated.WebSockets.Integration.Tests;

/// <summary>
/// The spans of a session, with a real <see cref="ActivityListener"/>: the client's connect span carries
/// <c>traceparent</c> into the upgrade request; OPEN, MESSAGE and CLOSE are short root spans linked to the upgrade
/// request's span (never its children), CLOSE also to OPEN; a failed handler's span has status Error and its type.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;
    private KestrelHost _host = null!;

    public TracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name is WebSocketTelemetry.ServerActivitySourceName or WebSocketTelemetry.ClientActivitySourceName or "Microsoft.AspNetCore",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync() => _host = await KestrelHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task One_trace_spans_the_client_connect_and_the_server_whose_handler_spans_are_linked_roots()
    {
        var test = Recorder.NewTestId();
        await using var container = WebSocketContainer.Create();
        using var root = new Activity("test-root").Start();
        var session = await container.ConnectToServerAsync<TraceClient>(_host.WebSocketUri($"/it/throws/{test}"));
        root.Stop();
        var client = (TraceClient)session.UserProperties[TraceClient.Key]!;
        await session.BasicRemote.SendTextAsync("fine");
        Assert.Equal("ok:fine", await client.Next());
        await session.BasicRemote.SendTextAsync("async");
        Assert.StartsWith("error:FormatException", await client.Next(), StringComparison.Ordinal);
        await session.CloseAsync();
        await Recorder.For(test).WaitForAsync("error:");

        var connect = await SpanAsync(a => a.OperationName == "Annotated.WebSockets.Client.Connect" && a.TraceId == root.TraceId);
        Assert.Equal(ActivityKind.Client, connect.Kind);

        // The server's request span continues the client's trace (traceparent was sent with the upgrade request).
        var upgrade = await SpanAsync(a => a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == root.TraceId);
        Assert.Equal(connect.SpanId, upgrade.ParentSpanId);
        Assert.Equal("/it/throws/{test}", upgrade.GetTagItem("http.route"));
        Assert.Contains(upgrade.Events, static e => e.Name == "websocket.upgraded");

        bool LinkedToUpgrade(Activity a) => a.Source.Name == WebSocketTelemetry.ServerActivitySourceName && a.Links.Any(l => l.Context.SpanId == upgrade.SpanId);
        var open = await SpanAsync(a => LinkedToUpgrade(a) && a.DisplayName == "OPEN /it/throws/{test}");
        Assert.Null(open.ParentId);
        Assert.NotEqual(root.TraceId, open.TraceId);   // a root of its own, not a child of the socket-long request
        Assert.Equal(ActivityKind.Internal, open.Kind);

        var messages = await SpansAsync(a => LinkedToUpgrade(a) && a.DisplayName == "MESSAGE /it/throws/{test}", 2);
        Assert.All(messages, static m => Assert.Equal(ActivityKind.Server, m.Kind));
        Assert.Equal([ActivityStatusCode.Unset, ActivityStatusCode.Error], messages.Select(static m => m.Status));
        Assert.Equal("System.FormatException", messages[1].GetTagItem("error.type"));
        Assert.Contains(messages[1].Events, static e => e.Name == "exception");

        await SpanAsync(a => LinkedToUpgrade(a) && a.DisplayName == "ERROR /it/throws/{test}");
        var close = await SpanAsync(a => LinkedToUpgrade(a) && a.DisplayName == "CLOSE /it/throws/{test}");
        Assert.Contains(close.Links, l => l.Context.SpanId == open.SpanId);
    }

    private async Task<Activity> SpanAsync(Func<Activity, bool> match) => (await SpansAsync(match, 1))[0];

    private async Task<Activity[]> SpansAsync(Func<Activity, bool> match, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = _stopped.Where(match).ToArray();
            if (found.Length >= count)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} matching span(s), found {found.Length}: {string.Join(", ", _stopped.Select(static a => a.DisplayName))}");
            await Task.Delay(20);
        }
    }

    /// <summary>A client endpoint that hands each text message to the test.</summary>
    [ClientEndpoint]
    public sealed class TraceClient
    {
        public const string Key = "trace-client";
        private readonly System.Threading.Channels.Channel<string> _received = System.Threading.Channels.Channel.CreateUnbounded<string>();

        [OnOpen]
        public void Open(WebSocketSession session) => session.UserProperties[Key] = this;

        [OnMessage]
        public void Text(string text) => _received.Writer.TryWrite(text);

        public async Task<string> Next() => await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}

/// <summary>Tests that listen to every activity source run one at a time (Activity.Current and listeners are process-wide).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "Tracing";
}
