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
/// every arrival and departure the room gets a <c>* here: …</c> line, the names of who is in it, which the page shows
/// as its member list.
/// </remarks>
[ServerEndpoint("/chat/{room}")]
[SendsMessage(typeof(string))]   // the room's lines: what the page's typed client receives (docs/DESCRIPTION.md)
public sealed partial class ChatEndpoint(ILogger<ChatEndpoint> logger, WebSocketGroups rooms)
{
    private const string NameProperty = "chat.name";
    private string _name = "anonymous";

    /// <summary>Remembers the visitor's name, joins the room's group and announces the arrival.</summary>
    [OnOpen]
    public async Task Join(WebSocketSession session, [PathParam("room")] string room)
    {
        if (session.RequestParameters.TryGetValue("name", out var names) && names.Count > 0 && !string.IsNullOrWhiteSpace(names[0]))
        {
            _name = names[0].Trim() is { Length: > 32 } longName ? longName[..32] : names[0].Trim();
        }

        session.UserProperties[NameProperty] = _name;
        rooms.Add(session, room);
        Log.Joined(logger, _name, room);
        await rooms.SendToGroupAsync(room, $"* {_name} joined #{room}");
        await SendMemberListAsync(room);
    }

    /// <summary>Relays a line to everyone in the room, the sender included.</summary>
    [OnMessage(MaxMessageSize = 4096)]
    public async Task Say(string text, [PathParam("room")] string room) =>
        await rooms.SendToGroupAsync(room, $"{_name}: {text}");

    /// <summary>Announces the departure; the closing session has already left the room's group.</summary>
    [OnClose]
    public async Task Leave([PathParam("room")] string room)
    {
        Log.Left(logger, _name, room);
        await rooms.SendToGroupAsync(room, $"* {_name} left #{room}");
        await SendMemberListAsync(room);
    }

    /// <summary>Logs what went wrong; the session stays open.</summary>
    [OnError]
    public void Error(Exception error) => Log.Failed(logger, _name, error);

    private async Task SendMemberListAsync(string room)
    {
        var members = rooms.GetLocalMembers(room)
            .Select(static member => member.UserProperties.TryGetValue(NameProperty, out var name) ? name as string : null)
            .OfType<string>()
            .Order(StringComparer.Ordinal);
        await rooms.SendToGroupAsync(room, $"* here: {string.Join(", ", members)}");
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Name} joined #{Room}.")]
        public static partial void Joined(ILogger logger, string name, string room);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Name} left #{Room}.")]
        public static partial void Left(ILogger logger, string name, string room);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The session of {Name} had an error.")]
        public static partial void Failed(ILogger logger, string name, Exception exception);
    }
}
