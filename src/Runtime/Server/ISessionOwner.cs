namespace Annotated.WebSockets.Server;

/// <summary>
/// What a server session tells the connection that owns it when it is over, so that nothing has to await the
/// session for the connection's whole life (an idle connection then holds one pending async method, the
/// session's own, instead of a chain of them).
/// </summary>
internal interface ISessionOwner
{
    /// <summary>
    /// The session's close handler has run: it ended, or a shutdown abandoned it while a handler still holds its
    /// receive loop. Called at least once, possibly twice (abandoned, then ended); only the first call counts.
    /// Never throws.
    /// </summary>
    Task SessionEndedAsync();
}
