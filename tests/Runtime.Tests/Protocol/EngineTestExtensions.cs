using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Protocol;

/// Receive helpers with a timeout on every await, so a broken engine fails a test instead of hanging the run.
internal static class EngineTestExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static Task<WebSocketEvent> NextAsync(this WebSocketEngine engine, ReceivePolicy? policy = null) =>
        engine.ReceiveAsync(policy ?? ReceivePolicy.Whole, CancellationToken.None).AsTask().WaitAsync(Timeout);

    /// Receives until a Close event and returns it.
    public static async Task<WebSocketEvent> NextCloseAsync(this WebSocketEngine engine, ReceivePolicy? policy = null)
    {
        for (int i = 0; i < 10_000; i++)
        {
            WebSocketEvent e = await engine.NextAsync(policy);
            if (e.Kind == WebSocketEventKind.Close)
            {
                return e;
            }
        }

        throw new InvalidOperationException("No close event.");
    }

    public static string Text(this WebSocketEvent e) => Encoding.UTF8.GetString(e.Payload.Span);

    public static Task SendTextAsync(this WebSocketEngine engine, string text) =>
        engine.SendAsync(WebSocketMessageKind.Text, Encoding.UTF8.GetBytes(text), true, CancellationToken.None).AsTask().WaitAsync(Timeout);
}
