namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// One end of an in-memory connection: reads what the other end wrote, writes what it will read. What the server's
/// upgrade returns on one side and the client's handshake response carries on the other; the engines on both ends
/// run over it exactly as over a socket.
/// </summary>
internal sealed class InMemoryStream(InMemoryChannel input, InMemoryChannel output) : DuplexStream
{
    private int _disposed;

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        input.ReadAsync(buffer, cancellationToken);

    protected override void WriteCore(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        output.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // The peer reads the end of the stream; a read pending here ends too.
            output.Complete();
            input.Complete();
        }

        base.Dispose(disposing);
    }
}
