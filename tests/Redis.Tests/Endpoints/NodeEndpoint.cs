using System.Globalization;

namespace Annotated.WebSockets.Redis.Tests.Endpoints;

/// <summary>
/// What a test asks one node to do through <see cref="WebSocketGroups"/>, one command per text line ("verb|args…"):
/// on open the client is told <c>id|{session id}</c>; every command is answered with <c>ok|{verb}|{result}</c>
/// except sends, which are answered with <c>ok|sent</c> after the send completed. Anything a group, user, endpoint or
/// session send delivers arrives as its text, as is. A command the backplane could not carry out is answered with
/// <c>failed|{exception type}|{message}</c>.
/// </summary>
[ServerEndpoint("/node/{name}")]
public sealed class NodeEndpoint(WebSocketGroups groups)
{
    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync($"id|{session.Id}");

    [OnMessage]
    public async Task<string> Command(WebSocketSession session, string line)
    {
        try
        {
            return await RunAsync(session, line);
        }
        catch (Exception ex) when (ex is WebSocketBackplaneException or ArgumentException)
        {
            return $"failed|{ex.GetType().Name}|{ex.Message}";
        }
    }

    private async Task<string> RunAsync(WebSocketSession session, string line)
    {
        var parts = line.Split('|', 3);
        string Arg(int i) => parts[i];
        switch (parts[0])
        {
            case "join":
                return $"ok|join|{await groups.AddAsync(session.Id, Arg(1))}";
            case "leave":
                return $"ok|leave|{await groups.RemoveAsync(session.Id, Arg(1))}";
            case "add":       // add|{session id}|{group}
                return $"ok|add|{await groups.AddAsync(Arg(1), Arg(2))}";
            case "remove":
                return $"ok|remove|{await groups.RemoveAsync(Arg(1), Arg(2))}";
            case "count":
                return $"ok|count|{(await groups.CountAsync(Arg(1))).ToString(CultureInfo.InvariantCulture)}";
            case "members":   // members|{group}: "{session id}/{user id}" of every member on every node, sorted, comma-separated
                var members = await groups.GetMembersAsync(Arg(1));
                return $"ok|members|{string.Join(',', members.Select(static m => $"{m.SessionId}/{m.UserId}").Order(StringComparer.Ordinal))}";
            case "group":     // group|{group}|{text}
                await groups.SendToGroupAsync(Arg(1), Arg(2));
                return "ok|sent";
            case "burst":     // burst|{group}|{count}: the numbers 0 … count-1, one message each, in order
                var count = int.Parse(Arg(2), CultureInfo.InvariantCulture);
                for (var i = 0; i < count; i++)
                {
                    await groups.SendToGroupAsync(Arg(1), i.ToString(CultureInfo.InvariantCulture));
                }

                return "ok|sent";
            case "tagged":    // tagged|{group}|{count}: "{session id}:0" … "{session id}:{count-1}", one message each, in order
                var tagged = int.Parse(Arg(2), CultureInfo.InvariantCulture);
                for (var i = 0; i < tagged; i++)
                {
                    await groups.SendToGroupAsync(Arg(1), string.Create(CultureInfo.InvariantCulture, $"{session.Id}:{i}"));
                }

                return "ok|sent";
            case "except":    // except|{group}|{text}: all but the sender
                await groups.SendToGroupExceptAsync(Arg(1), PreparedMessage.FromText(Arg(2)), session);
                return "ok|sent";
            case "user":      // user|{user id}|{text}
                await groups.SendToUserAsync(Arg(1), PreparedMessage.FromText(Arg(2)));
                return "ok|sent";
            case "endpoint":  // endpoint|{text}
                await groups.SendToEndpointAsync("/node/{name}", PreparedMessage.FromText(Arg(1)));
                return "ok|sent";
            case "session":   // session|{id}|{text}
                await groups.SendToSessionAsync(Arg(1), PreparedMessage.FromText(Arg(2)));
                return "ok|sent";
            default:
                return $"unknown|{line}";
        }
    }
}

/// <summary>The user of a test session: its <c>user</c> query parameter (none without one).</summary>
public sealed class QueryUserIdProvider : IWebSocketUserIdProvider
{
    /// <inheritdoc />
    public string? GetUserId(WebSocketSession session) =>
        session.RequestParameters.TryGetValue("user", out var values) && values.Count > 0 ? values[0] : null;
}
