using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Engine bugs the fuzzer found, each as the smallest failing case. Skipped so the test command stays green
/// until the engine owner fixes them; remove the Skip to reproduce.
public sealed class KnownEngineBugTests
{
    private const string DisposeBug =
        "Known engine bug (found by fuzzing): over a Stream transport, DisposeAsync after ReceiveAsync returned a Close " +
        "event calls Abort, which calls CancelPendingFlush on the StreamPipeWriter that CompleteTransportAsync already " +
        "completed, and throws ObjectDisposedException (CancellationTokenSource disposed).";

    [Trait("Category", "KnownBug")]
    [Theory(Skip = DisposeBug)]
    [InlineData(true, "81")]        // EOF inside a header: Close 1006.
    [InlineData(false, "8880")]     // Masked empty close: Close 1005.
    public async Task KnownBug_DisposeAsync_after_a_Close_event_throws_ObjectDisposedException_on_a_Stream_transport(bool client, string hex)
    {
        var stream = new ChunkedReadStream(Convert.FromHexString(hex), 1);
        var engine = new WebSocketEngine(stream, new WebSocketEngineOptions { Role = client ? WebSocketRole.Client : WebSocketRole.Server });
        WebSocketEvent close = await engine.ReceiveAsync(ReceivePolicy.Whole, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WebSocketEventKind.Close, close.Kind);

        Exception? error = await Record.ExceptionAsync(() => engine.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Null(error);
    }
}
