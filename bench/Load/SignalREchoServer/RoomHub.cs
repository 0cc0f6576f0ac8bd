using Microsoft.AspNetCore.SignalR;

namespace Annotated.WebSockets.Bench.SignalREchoServer;

/// <summary>SignalR's side of bench/Load's fan-out profiles: one room as a SignalR group.</summary>
public sealed class RoomHub : Hub
{
    /// <summary>Adds the caller to the room's group (the client waits for the completion before it counts as a member).</summary>
    /// <param name="room">The room.</param>
    /// <returns>When the caller is in the group.</returns>
    public Task Join(string room) => Groups.AddToGroupAsync(Context.ConnectionId, room);

    /// <summary>Sends the message to every member of the room, the caller included, as the client method <c>m</c>.</summary>
    /// <param name="room">The room.</param>
    /// <param name="message">The message.</param>
    /// <returns>When SignalR has written the message to every member.</returns>
    public Task Send(string room, string message) => Clients.Group(room).SendAsync("m", message);
}
