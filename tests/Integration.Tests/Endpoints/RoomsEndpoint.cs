using System.Globalization;

namespace Annotated.WebSockets.Integration.Tests.Endpoints;

/// <summary>
/// A room per path through <see cref="WebSocketGroups"/>: on open the session joins the room, is told
/// <c>joined:{members}</c> and the others are told <c>arrived</c>; each text goes to the room except its sender;
/// <c>count</c> is answered with <see cref="WebSocketGroups.CountLocal"/>; on close the room is told
/// <c>left:{members}</c> (counted in OnClose, after the closing session has left).
/// </summary>
[ServerEndpoint("/it/rooms/{room}")]
public sealed class RoomsEndpoint(WebSocketGroups groups)
{
    [OnOpen]
    public async Task Open(WebSocketSession session, [PathParam("room")] string room)
    {
        groups.Add(session, room);
        await session.BasicRemote.SendTextAsync($"joined:{Count(room)}");
        await groups.SendToGroupExceptAsync(room, PreparedMessage.FromText("arrived"), session);
    }

    [OnMessage]
    public async Task Text(WebSocketSession session, string text, [PathParam("room")] string room)
    {
        if (text == "count")
        {
            await session.BasicRemote.SendTextAsync(Count(room));
            return;
        }

        await groups.SendToGroupExceptAsync(room, PreparedMessage.FromText(text), session);
    }

    [OnClose]
    public async Task Close([PathParam("room")] string room) =>
        await groups.SendToGroupAsync(room, $"left:{Count(room)}");

    private string Count(string room) => groups.CountLocal(room).ToString(CultureInfo.InvariantCulture);
}
