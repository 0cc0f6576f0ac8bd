using Microsoft.AspNetCore.SignalR;

namespace Annotated.WebSockets.Bench.SignalREchoServer;

/// <summary>Returns every message to its caller (as the invocation's completion).</summary>
public sealed class EchoHub : Hub
{
    /// <summary>The echo.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The same message.</returns>
    public string Echo(string message) => message;
}
