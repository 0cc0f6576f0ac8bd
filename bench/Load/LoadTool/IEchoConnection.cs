namespace Annotated.WebSockets.Bench.Load;

/// <summary>One client connection that sends a message and waits for the server to return it.</summary>
internal interface IEchoConnection : IAsyncDisposable
{
    /// <summary>Sends the connection's message and waits for the echo; throws when the echo is not the message.</summary>
    ValueTask EchoAsync(CancellationToken cancellationToken);

    /// <summary>Ends the connection with a close handshake (bounded), or aborts it.</summary>
    Task CloseAsync(bool graceful);
}
