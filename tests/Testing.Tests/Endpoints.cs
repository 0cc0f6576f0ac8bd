using System.Collections.Concurrent;

namespace Annotated.WebSockets.Testing.Tests;

/// <summary>What the test endpoints saw, per host (a singleton of each host's services).</summary>
public sealed class Calls
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> Events => [.. _events];

    public int Count(string prefix) => _events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));

    public void Add(string e) => _events.Enqueue(e);
}

/// <summary>Echoes text and binary; text above 1 KiB is too big (1009).</summary>
[ServerEndpoint("/t/echo")]
public sealed class EchoEndpoint(Calls calls)
{
    [OnOpen]
    public void Open() => calls.Add("open");

    [OnMessage(MaxMessageSize = 1024)]
    public string Text(string text) => text;

    [OnMessage]
    public byte[] Binary(byte[] data) => data;

    [OnClose]
    public void Close(CloseReason reason) => calls.Add($"close:{(int)reason.Code}");

    [OnError]
    public void Error(Exception error) => calls.Add($"error:{error.GetType().Name}");
}

/// <summary>Echoes text, at most one message a second (the delay action: a second message waits for its token).</summary>
[ServerEndpoint("/t/slow-echo")]
public sealed class SlowEchoEndpoint
{
    public const string Policy = "one-a-second";

    [OnMessage(RateLimitPolicy = Policy)]
    public string Text(string text) => text;
}

/// <summary>Greets by the path parameter and the query's name.</summary>
[ServerEndpoint("/t/greet/{name}")]
public sealed class GreetEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session, [PathParam("name")] string name) =>
        session.BasicRemote.SendTextAsync($"hello {name}{(session.RequestParameters.TryGetValue("punct", out var p) ? p[0] : string.Empty)}");
}

/// <summary>Chooses among its subprotocols and says which.</summary>
[ServerEndpoint("/t/proto", Subprotocols = ["v2", "v1"])]
public sealed class ProtocolEndpoint
{
    [OnOpen]
    public Task Open(WebSocketSession session) => session.BasicRemote.SendTextAsync($"protocol:{session.NegotiatedSubprotocol}");
}

/// <summary>Throws on "boom"; OnError answers with the exception type.</summary>
[ServerEndpoint("/t/fail")]
public sealed class FailingEndpoint(Calls calls)
{
    [OnMessage]
    public string Text(string text) => text == "boom" ? throw new InvalidOperationException("boom") : "ok";

    [OnError]
    public Task Error(WebSocketSession session, Exception error)
    {
        calls.Add($"error:{error.GetType().Name}");
        return session.BasicRemote.SendTextAsync($"error:{error.GetType().Name}");
    }

    [OnClose]
    public void Close(CloseReason reason) => calls.Add($"close:{(int)reason.Code}");
}

/// <summary>Only binary: a text message cannot be accepted (1003).</summary>
[ServerEndpoint("/t/binary-only")]
public sealed class BinaryOnlyEndpoint(Calls calls)
{
    [OnMessage]
    public void Binary(byte[] data)
    {
    }

    [OnClose]
    public void Close(CloseReason reason) => calls.Add($"close:{(int)reason.Code}");
}

/// <summary>A room per path: a line goes to everyone in the room but the sender.</summary>
[ServerEndpoint("/t/room/{room}")]
public sealed class RoomEndpoint(WebSocketGroups groups, Calls calls)
{
    [OnOpen]
    public void Open(WebSocketSession session, [PathParam("room")] string room) => groups.Add(session, room);

    [OnMessage]
    public async Task Say(WebSocketSession session, string text, [PathParam("room")] string room) =>
        await groups.SendToGroupExceptAsync(room, PreparedMessage.FromText(text), session);

    [OnClose]
    public void Close(CloseReason reason) => calls.Add($"close:{(int)reason.Code}");
}

/// <summary>A greeting from DI, so that a test can override the service.</summary>
public interface IGreeting
{
    string Greet(string who);
}

public sealed class PlainGreeting : IGreeting
{
    public string Greet(string who) => $"hi {who}";
}

[ServerEndpoint("/t/di")]
public sealed class DiEndpoint(IGreeting greeting)
{
    [OnMessage]
    public string Text(string who) => greeting.Greet(who);
}

/// <summary>Sends a line from a timer of the server's clock: virtual time drives it.</summary>
[ServerEndpoint("/t/ticker")]
public sealed class TickerEndpoint(TimeProvider clock)
{
    private ITimer? _timer;

    [OnOpen]
    public void Open(WebSocketSession session) =>
        _timer = clock.CreateTimer(_ => _ = session.AsyncRemote.SendTextAsync("tick"), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));

    [OnClose]
    public void Close() => _timer?.Dispose();
}

/// <summary>Closes the session itself on any message, with an application code.</summary>
[ServerEndpoint("/t/closer")]
public sealed class CloserEndpoint(Calls calls)
{
    [OnMessage]
    public Task Text(WebSocketSession session, string text) => session.CloseAsync(new CloseReason((CloseCode)4000, text));

    [OnClose]
    public void Close(CloseReason reason) => calls.Add($"close:{(int)reason.Code}");
}
