// A console chat client: connects to the chat sample (samples/Chat) and sends each line typed.
//   dotnet run --project samples/Client                                   # ws://localhost:5000/chat/lobby
//   dotnet run --project samples/Client -- "ws://localhost:5000/chat/dev?name=ada"
// Leaves with a normal closure (1000) on end of input (Ctrl+D) or Ctrl+C.
using Annotated.Samples.Client;
using Annotated.WebSockets;
using Annotated.WebSockets.Client;

var uri = new Uri(args.Length > 0 ? args[0] : "ws://localhost:5000/chat/lobby");

await using var container = WebSocketContainer.Create();
var endpoint = new ChatClientEndpoint();
WebSocketSession session;
try
{
    session = await container.ConnectToServerAsync(endpoint, uri);
}
catch (Exception ex) when (ex is DeploymentException or HttpRequestException or IOException or TimeoutException)
{
    Console.Error.WriteLine($"Could not connect to {uri}: {ex.Message}");
    return 1;
}

var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;   // leave through the normal path, with a close frame
    interrupted.TrySetResult();
};

// Console reads block and cannot be cancelled, so each line is read on the thread pool and awaited together with
// the two other ways out; a read left pending at exit ends with the process.
while (true)
{
    var read = Task.Run(Console.In.ReadLine);
    var first = await Task.WhenAny(read, endpoint.Closed, interrupted.Task);
    if (first != read)
    {
        break;
    }

    var line = await read;
    if (line is null)
    {
        break;   // end of input
    }

    if (line.Length == 0)
    {
        continue;
    }

    try
    {
        await session.BasicRemote.SendTextAsync(line);
    }
    catch (IOException)
    {
        break;   // the server went away; Closed says why
    }
}

if (session.IsOpen)
{
    await session.CloseAsync(new CloseReason(CloseCode.NormalClosure, "bye"));
}

var reason = await endpoint.Closed.WaitAsync(TimeSpan.FromSeconds(10));
Console.WriteLine($"Disconnected: {reason}");
return 0;
