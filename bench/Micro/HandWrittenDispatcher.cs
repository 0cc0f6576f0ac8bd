using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// The dispatcher a person would write by hand for <see cref="BenchEndpoint"/> if there were no generator: the same
/// virtual entry point the session layer calls, then a direct call.
/// </summary>
public sealed class HandWrittenDispatcher(BenchEndpoint endpoint) : EndpointDispatcher
{
    /// <inheritdoc/>
    public override object Endpoint => endpoint;

    /// <inheritdoc/>
    public override ValueTask OnTextAsync(WebSocketSession session, string text, bool last)
    {
        endpoint.OnText(text, session);
        return default;
    }
}
