namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// One connection of the harness: the two directions, the ends the server and the client use, and what tells the
/// quiescence check that each side is done with it.
/// </summary>
internal sealed class InMemoryConnection : ITestConnection
{
    private readonly ActivitySignal _signal;
    private readonly InMemoryChannel _toServer;
    private readonly InMemoryChannel _toClient;
    private volatile Task? _serverRequest;
    private volatile bool _clientDone;

    public InMemoryConnection(ActivitySignal signal)
    {
        _signal = signal;
        _toServer = new InMemoryChannel(signal);
        _toClient = new InMemoryChannel(signal);
        ServerStream = new InMemoryStream(_toServer, _toClient);
        ClientStream = new InMemoryStream(_toClient, _toServer);
    }

    /// <summary>The end the server's upgrade hands to the server container.</summary>
    public InMemoryStream ServerStream { get; }

    /// <summary>The end the client's engine runs over.</summary>
    public InMemoryStream ClientStream { get; }

    /// <summary>Whether the server has torn the connection down (its request completed).</summary>
    public bool ServerDone => _serverRequest is { IsCompleted: true };

    /// <summary>Whether the client session has ended (its close handler ran).</summary>
    public bool ClientDone => _clientDone;

    /// <summary>
    /// Whether neither side has work in hand: each has read everything the other wrote and waits for more, or is done.
    /// Does not look at sends queued inside the server (<see cref="ISessionActivity"/> does).
    /// </summary>
    public bool IsIdle =>
        (ServerDone || _toServer.ReaderIdle) && (ClientDone || _toClient.ReaderIdle);

    /// <inheritdoc />
    public bool OnlyServerBusy =>
        !(ServerDone || _toServer.ReaderIdle) && (ClientDone || _toClient.ReaderIdle);

    /// <inheritdoc />
    public string Describe() =>
        $"server {(ServerDone ? "done" : _toServer.ReaderIdle ? "waiting for input" : $"busy ({_toServer.Buffered} bytes unread)")}, "
        + $"client {(ClientDone ? "done" : _toClient.ReaderIdle ? "waiting for input" : $"busy ({_toClient.Buffered} bytes unread)")}";

    /// <summary>The server's request for this connection: it completes when the server tore the connection down.</summary>
    public void TrackServer(Task request)
    {
        _serverRequest = request;
        request.ContinueWith(static (_, state) => ((ActivitySignal)state!).Changed(), _signal, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void ClientEnded()
    {
        _clientDone = true;
        _signal.Changed();
    }

    /// <inheritdoc />
    public void WriteRaw(ReadOnlySpan<byte> bytes) => ClientStream.Write(bytes);

    /// <inheritdoc />
    public void Abort() => ClientStream.Dispose();
}
