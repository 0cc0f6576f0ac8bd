using Annotated.WebSockets;

namespace Annotated.Samples.Chat;

/// <summary>
/// A chat room per path: everyone connected to <c>/chat/lobby</c> sees what the others in <c>lobby</c> say.
/// The visitor's name comes from the <c>name</c> query parameter. A new instance serves each connection,
/// so the instance can keep the visitor's name in a field.
/// </summary>
/// <remarks>
/// Each room is a group of <see cref="WebSocketGroups"/>: a line is encoded once and queued on every member's send
/// queue, and a member whose browser stops reading holds up no one (it is closed after the send-queue timeout). After
/// every arrival and departure the room gets a <c>* here: …</c> line, the names of who is in it on every node, which
/// the page shows as its member list. With a Redis backplane (see Program.cs) the rooms span every node; if Redis is
/// down, this node's visitors still talk to each other and the failure is logged.
/// </remarks>
[ServerEndpoint("/chat/{room}")]
[SendsMessage(typeof(string))]   // the room's lines: what the page's typed client receives (docs/DESCRIPTION.md)
public sealed partial class ChatEndpoint(ILogger<ChatEndpoint> logger, WebSocketGroups rooms)
{
    /// <summary>
    /// The message rate-limit policy of chat lines (Program.cs adds it: 20 a second per visitor, delayed beyond that).
    /// </summary>
    public const string LinePolicy = "chat-lines";

    private string _name = "anonymous";

    /// <summary>Remembers the visitor's name, joins the room's group and announces the arrival.</summary>
    [OnOpen]
    public async Task Join(WebSocketSession session, [PathParam("room")] string room)
    {
        _name = ChatNameUserIdProvider.NameOf(session);
        try
        {
            await rooms.AddAsync(session.Id, room);   // waits until this node hears the room's lines from the other nodes
        }
        catch (WebSocketBackplaneException ex)
        {
            Log.BackplaneFailed(logger, room, ex.Message);   // joined here; the node listens to the others once Redis is back
        }

        Log.Joined(logger, _name, room);
        await BroadcastAsync(room, $"* {_name} joined #{room}");
        await SendMemberListAsync(room);
    }

    /// <summary>
    /// Relays a line to everyone in the room, the sender included. A visitor who sends lines faster than
    /// <see cref="LinePolicy"/> allows is slowed down: the server reads their next line when a token is free.
    /// </summary>
    [OnMessage(MaxMessageSize = 4096, RateLimitPolicy = LinePolicy)]
    public async Task Say(string text, [PathParam("room")] string room) =>
        await BroadcastAsync(room, $"{_name}: {text}");

    /// <summary>Announces the departure; the closing session has already left the room's group.</summary>
    [OnClose]
    public async Task Leave([PathParam("room")] string room)
    {
        Log.Left(logger, _name, room);
        await BroadcastAsync(room, $"* {_name} left #{room}");
        await SendMemberListAsync(room);
    }

    /// <summary>Logs what went wrong; the session stays open.</summary>
    [OnError]
    public void Error(Exception error) => Log.Failed(logger, _name, error);

    private async Task SendMemberListAsync(string room)
    {
        IEnumerable<string?> names;
        try
        {
            names = (await rooms.GetMembersAsync(room)).Select(static member => member.UserId);
        }
        catch (WebSocketBackplaneException ex)
        {
            // Redis is down: list who is here on this node.
            Log.BackplaneFailed(logger, room, ex.Message);
            names = rooms.GetLocalMembers(room).Select(ChatNameUserIdProvider.NameOf);
        }

        await BroadcastAsync(room, $"* here: {string.Join(", ", names.OfType<string>().Order(StringComparer.Ordinal))}");
    }

    // The room's members on this node always get the line; if the other nodes cannot be reached, that is logged.
    private async Task BroadcastAsync(string room, string line)
    {
        try
        {
            await rooms.SendToGroupAsync(room, line);
        }
        catch (WebSocketBackplaneException ex)
        {
            Log.BackplaneFailed(logger, room, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Name} joined #{Room}.")]
        public static partial void Joined(ILogger logger, string name, string room);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Name} left #{Room}.")]
        public static partial void Left(ILogger logger, string name, string room);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The session of {Name} had an error.")]
        public static partial void Failed(ILogger logger, string name, Exception exception);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "#{Room} did not reach the other nodes: {Problem}")]
        public static partial void BackplaneFailed(ILogger logger, string room, string problem);
    }
}
