namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// A message output that can be given up part-way (the session's send stream): what
/// <see cref="EndpointDispatcher"/> needs of it, declared here so that Dispatch knows nothing of Sessions.
/// </summary>
internal interface IAbandonableOutput
{
    /// <summary>Sends nothing more of the message; closes the session with 1011 when parts of it already went out.</summary>
    ValueTask AbandonAsync();
}
