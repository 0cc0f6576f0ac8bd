namespace Annotated.WebSockets;

/// <summary>What adding a session to a group, or removing it, did when the session is named by id.</summary>
public enum GroupChangeResult
{
    /// <summary>The session joined (or left) the group.</summary>
    Changed,

    /// <summary>Nothing changed: it was a member already (or not a member), or it is closing.</summary>
    Unchanged,

    /// <summary>No node has an open session with that id.</summary>
    SessionNotFound,
}
