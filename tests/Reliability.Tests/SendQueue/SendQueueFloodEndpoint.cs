using System.Collections.Concurrent;

namespace Annotated.WebSockets.Reliability.Tests.SendQueue;

/// <summary>
/// Sends 16 KiB text messages in a loop from the moment it opens, as a broadcaster would, and records what became of
/// each send in the <see cref="SendQueueFloodRecord"/> the test registered under the path's id.
/// </summary>
[ServerEndpoint("/sendqueue/flood/{id}")]
public sealed class SendQueueFloodEndpoint
{
    internal static ConcurrentDictionary<string, SendQueueFloodRecord> Records { get; } = new(StringComparer.Ordinal);

    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("id")] string id)
    {
        var record = Records[id];
        _ = Task.Run(() => record.FloodAsync(session));
    }

    [OnClose]
    public void Close(CloseReason reason, [PathParam("id")] string id) => Records[id].Closed(reason);
}

/// <summary>Echoes text: a second session that must not notice the flooded one.</summary>
[ServerEndpoint("/sendqueue/echo")]
public sealed class SendQueueEchoEndpoint
{
    [OnMessage]
    public string Echo(string text) => text;
}
