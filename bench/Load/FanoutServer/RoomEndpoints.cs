namespace Annotated.WebSockets.Bench.FanoutServer;

/// <summary>
/// A room broadcast through <see cref="WebSocketGroups"/>: a member joins its room's group on open, and every text it
/// sends goes to the whole room, itself included, encoded once and queued on every member without waiting for any.
/// </summary>
[ServerEndpoint("/room/{room}")]
public sealed class GroupRoomEndpoint(WebSocketGroups rooms)
{
    /// <summary>Joins the room's group.</summary>
    [OnOpen]
    public void Join(WebSocketSession session, [PathParam("room")] string room) => rooms.Add(session, room);

    /// <summary>Sends the text to every member of the room (awaited: a returned value would be sent back).</summary>
    [OnMessage]
    public async Task Say(string text, [PathParam("room")] string room) => await rooms.SendToGroupAsync(room, text);
}

/// <summary>
/// The same room without groups, as samples/Chat was before them: every text is sent to each open session of the
/// endpoint in the room, awaiting each member's send in turn, the text encoded per member.
/// </summary>
[ServerEndpoint("/room-loop/{room}")]
public sealed class LoopRoomEndpoint
{
    /// <summary>Sends the text to each member of the room, one after the other.</summary>
    [OnMessage]
    public async Task Say(WebSocketSession session, string text, [PathParam("room")] string room)
    {
        foreach (var peer in session.OpenSessions)
        {
            if (peer.IsOpen && peer.PathParameters.TryGetValue("room", out var peerRoom) && peerRoom == room)
            {
                try
                {
                    await peer.BasicRemote.SendTextAsync(text);
                }
                catch (IOException)
                {
                    // That member left (or was closed for not reading) while we were sending.
                }
            }
        }
    }
}
