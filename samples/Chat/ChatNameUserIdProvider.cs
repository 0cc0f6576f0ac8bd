using Annotated.WebSockets;

namespace Annotated.Samples.Chat;

/// <summary>
/// The chat's user id is the visitor's name: the <c>name</c> query parameter, trimmed and cut to 32 characters, or
/// "anonymous". So the member list (<see cref="WebSocketGroups.GetMembersAsync"/>) names everyone in a room, on every node.
/// </summary>
public sealed class ChatNameUserIdProvider : IWebSocketUserIdProvider
{
    private const int MaxNameLength = 32;

    /// <inheritdoc />
    public string GetUserId(WebSocketSession session) => NameOf(session);

    /// <summary>The visitor's name as the chat shows it.</summary>
    public static string NameOf(WebSocketSession session)
    {
        if (!session.RequestParameters.TryGetValue("name", out var names) || names.Count == 0 || string.IsNullOrWhiteSpace(names[0]))
        {
            return "anonymous";
        }

        var name = names[0].Trim();
        return name.Length > MaxNameLength ? name[..MaxNameLength] : name;
    }
}
