namespace Annotated.WebSockets.Soak;

/// <summary>
/// The soak server's endpoint: echoes every text and binary message; a text message starting with
/// <see cref="BroadcastPrefix"/> is also sent, prefixed with <c>B|room|</c>, to every other open session of the room.
/// What it sees is counted in <see cref="SoakServerCounters"/>.
/// </summary>
[ServerEndpoint("/soak/{room}")]
public sealed class SoakEndpoint
{
    /// <summary>Marks a text message to broadcast to the room as well as echo.</summary>
    public const string BroadcastPrefix = "bcast:";

    private string _room = "";

    [OnOpen]
    public void Open([PathParam("room")] string room)
    {
        _room = room;
        SoakServerCounters.Opened();
    }

    [OnMessage(MaxMessageSize = 1024 * 1024)]
    public string Text(string text, WebSocketSession session)
    {
        SoakServerCounters.Message();
        if (text.StartsWith(BroadcastPrefix, StringComparison.Ordinal))
        {
            var broadcast = $"B|{_room}|{text}";
            foreach (var other in session.OpenSessions)
            {
                if (!ReferenceEquals(other, session) && other.IsOpen
                    && other.PathParameters.TryGetValue("room", out var room) && room == _room)
                {
                    // Not awaited: a handler waiting on another peer's send queue could wait on that peer's handler
                    // in turn. The send queue still bounds what waits; a peer gone meanwhile just fails its send.
                    _ = SendQuietlyAsync(other, broadcast);
                }
            }
        }

        return text;
    }

    [OnMessage(MaxMessageSize = 1024 * 1024)]
    public byte[] Binary(byte[] data)
    {
        SoakServerCounters.Message();
        return data;
    }

    [OnClose]
    public void Close(CloseReason reason) => SoakServerCounters.Closed(reason.Code);

    [OnError]
    public void Error(Exception error) => SoakServerCounters.Error(error);

    private static async Task SendQuietlyAsync(WebSocketSession session, string text)
    {
        try
        {
            await session.AsyncRemote.SendTextAsync(text).ConfigureAwait(false);
            SoakServerCounters.Broadcast();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The receiving session closed or vanished between the check and the send.
            SoakServerCounters.BroadcastDropped();
        }
    }
}
