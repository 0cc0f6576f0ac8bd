namespace Annotated.WebSockets.Testing.Transport;

/// <summary>One test client's connection, as the host's quiescence check and the client's raw sends see it.</summary>
internal interface ITestConnection
{
    /// <summary>
    /// Whether neither side has work in hand: each has read all the other wrote and waits for more, or is done. Does not
    /// look at sends queued inside the server (<see cref="ISessionActivity"/> does).
    /// </summary>
    bool IsIdle { get; }

    /// <summary>
    /// Whether the client's side is idle and only the server's is not: it has not come back to read. A connection whose
    /// session waits for a rate-limit token is in this state until time passes.
    /// </summary>
    bool OnlyServerBusy { get; }

    /// <summary>What the connection is busy with, for a quiescence timeout's message.</summary>
    string Describe();

    /// <summary>The client session ended (its close handler ran).</summary>
    void ClientEnded();

    /// <summary>Writes bytes to the server past the client's engine.</summary>
    void WriteRaw(ReadOnlySpan<byte> bytes);

    /// <summary>Drops the connection without a close frame.</summary>
    void Abort();
}
