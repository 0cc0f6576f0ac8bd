using Annotated.WebSockets;

namespace Annotated.Samples.Client;

/// <summary>
/// The client side of a chat room: prints every line the room sends, and tells the program when the
/// connection has closed, whoever closed it.
/// </summary>
[ClientEndpoint]
public sealed class ChatClientEndpoint
{
    private readonly TaskCompletionSource<CloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the close reason once the session has closed.</summary>
    public Task<CloseReason> Closed => _closed.Task;

    /// <summary>Says where we are connected and how to leave.</summary>
    [OnOpen]
    public void Open(WebSocketSession session) =>
        Console.WriteLine($"Connected to {session.RequestUri}. Type a line and press Enter to send it; Ctrl+D or Ctrl+C leaves.");

    /// <summary>Prints a line from the room.</summary>
    [OnMessage]
    public void Message(string text) => Console.WriteLine(text);

    /// <summary>Records why the session closed.</summary>
    [OnClose]
    public void Close(CloseReason reason) => _closed.TrySetResult(reason);

    /// <summary>Reports what went wrong; the session stays open.</summary>
    [OnError]
    public void Error(Exception error) => Console.Error.WriteLine($"error: {error.Message}");
}
