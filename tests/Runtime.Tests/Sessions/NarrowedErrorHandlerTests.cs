using System.Text;
using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// An [OnError] method whose parameter is narrower than Exception handles only errors of that type; every other
/// error is logged exactly as for an endpoint with no [OnError] method (event 3, Error), never silently dropped.
/// </summary>
public class NarrowedErrorHandlerTests
{
    private const int UnhandledEndpointErrorEventId = 3;

    [Fact]
    public async Task An_error_the_OnError_method_does_not_accept_is_logged_and_the_session_stays_open()
    {
        var endpoint = new NarrowedErrorEndpoint();
        var logger = new CapturingLogger();
        await using var harness = StartSession(endpoint, logger);

        await harness.SendTextAsync("argument");
        await harness.SendTextAsync("echo");

        Assert.Equal("echo", await ReceiveTextAsync(harness));
        Assert.True(harness.Session.IsOpen);
        Assert.Empty(endpoint.Errors);
        var entry = Assert.Single(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Equal((LogLevel.Error, UnhandledEndpointErrorEventId), (entry.Level, entry.EventId));
        Assert.Same(endpoint.Thrown["argument"], entry.Exception);
    }

    [Fact]
    public async Task An_error_the_OnError_method_accepts_goes_to_it_and_nothing_is_logged()
    {
        var endpoint = new NarrowedErrorEndpoint();
        var logger = new CapturingLogger();
        await using var harness = StartSession(endpoint, logger);

        await harness.SendTextAsync("invalid");
        await harness.SendTextAsync("echo");

        Assert.Equal("echo", await ReceiveTextAsync(harness));
        Assert.True(harness.Session.IsOpen);
        Assert.Same(endpoint.Thrown["invalid"], Assert.Single(endpoint.Errors));
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private static SessionHarness StartSession(NarrowedErrorEndpoint endpoint, ILogger logger)
    {
        var definition = AnnotatedEndpointRegistry.Find(typeof(NarrowedErrorEndpoint))
            ?? throw new InvalidOperationException("The generator did not register NarrowedErrorEndpoint.");
        return SessionHarness.Start(definition, endpoint, logger: logger);
    }

    private static async Task<string> ReceiveTextAsync(SessionHarness harness)
    {
        var received = await harness.PeerReceiveAsync(WebSocketEventKind.Text);
        Assert.Equal(WebSocketEventKind.Text, received.Kind);
        return Encoding.UTF8.GetString(received.Payload.Span);
    }
}

/// <summary>
/// A generated endpoint whose [OnError] method takes only <see cref="InvalidOperationException"/>. It is used through
/// <see cref="SessionHarness"/> only, never mapped: its path is unique to these tests.
/// </summary>
[ServerEndpoint("/sessions/narrowed-error")]
public sealed class NarrowedErrorEndpoint
{
    /// <summary>What each text throws: "argument" an error OnError does not accept, "invalid" one it does.</summary>
    public Dictionary<string, Exception> Thrown { get; } = new(StringComparer.Ordinal)
    {
        ["argument"] = new ArgumentException("not for OnError"),
        ["invalid"] = new InvalidOperationException("for OnError"),
    };

    public List<Exception> Errors { get; } = [];

    [OnMessage]
    public string Message(string text) => Thrown.TryGetValue(text, out var error) ? throw error : text;

    [OnError]
    public void Error(InvalidOperationException error)
    {
        lock (Errors)
        {
            Errors.Add(error);
        }
    }
}
