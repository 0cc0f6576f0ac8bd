using Annotated.WebSockets;

namespace Annotated.Samples.Chat;

/// <summary>
/// A chat room per path: everyone connected to <c>/chat/lobby</c> sees what the others in <c>lobby</c> say.
/// The visitor's name comes from the <c>name</c> query parameter. A new instance serves each connection,
/// so the instance can keep the visitor's name in a field.
/// </summary>
[ServerEndpoint("/chat/{room}")]
public sealed partial class ChatEndpoint(ILogger<ChatEndpoint> logger)
{
    private string _name = "anonymous";

    /// <summary>Remembers the visitor's name and announces the arrival to the room.</summary>
    [OnOpen]
    public Task Join(WebSocketSession session, [PathParam("room")] string room)
    {
        if (session.RequestParameters.TryGetValue("name", out var names) && names.Count > 0 && !string.IsNullOrWhiteSpace(names[0]))
        {
            _name = names[0].Trim() is { Length: > 32 } longName ? longName[..32] : names[0].Trim();
        }

        Log.Joined(logger, _name, room);
        return BroadcastAsync(session, room, $"* {_name} joined #{room}");
    }

    /// <summary>Relays a line to everyone in the room, the sender included.</summary>
    [OnMessage(MaxMessageSize = 4096)]
    public Task Say(WebSocketSession session, string text, [PathParam("room")] string room) =>
        BroadcastAsync(session, room, $"{_name}: {text}");

    /// <summary>Announces the departure; the closing session is no longer among the open ones.</summary>
    [OnClose]
    public Task Leave(WebSocketSession session, [PathParam("room")] string room)
    {
        Log.Left(logger, _name, room);
        return BroadcastAsync(session, room, $"* {_name} left #{room}");
    }

    /// <summary>Logs what went wrong; the session stays open.</summary>
    [OnError]
    public void Error(Exception error) => Log.Failed(logger, _name, error);

    private static async Task BroadcastAsync(WebSocketSession from, string room, string line)
    {
        foreach (var peer in from.OpenSessions)
        {
            if (peer.IsOpen && peer.PathParameters.TryGetValue("room", out var peerRoom) && peerRoom == room)
            {
                try
                {
                    await peer.BasicRemote.SendTextAsync(line);
                }
                catch (IOException)
                {
                    // That visitor left while we were sending; their own close announces it.
                }
            }
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
    }
}
