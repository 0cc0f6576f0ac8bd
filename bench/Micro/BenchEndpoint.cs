namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// The annotated endpoint the dispatch benchmarks call. The generator emits its dispatcher at build time, exactly as it
/// does for an application's endpoint. The handler does a trivial piece of work (it remembers the length) so the
/// call cannot be removed, and returns nothing so no send is measured.
/// </summary>
[ServerEndpoint("/bench")]
public class BenchEndpoint
{
    /// <summary>Sum of the lengths of the messages received, so the JIT keeps every call.</summary>
    public long TotalLength { get; private set; }

    /// <summary>The text handler.</summary>
    /// <param name="message">The whole text message.</param>
    /// <param name="session">The session it arrived on.</param>
    [OnMessage]
    public void OnText(string message, WebSocketSession session) => TotalLength += message.Length;
}
