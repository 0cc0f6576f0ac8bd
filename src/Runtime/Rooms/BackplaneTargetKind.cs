namespace Annotated.WebSockets;

/// <summary>Who a <see cref="BackplaneMessage"/> is for.</summary>
public enum BackplaneTargetKind
{
    /// <summary>The members of a group (<see cref="WebSocketGroups.SendToGroupAsync(string, PreparedMessage, CancellationToken)"/>), but the except list.</summary>
    Group,

    /// <summary>Every session of a user (<see cref="WebSocketGroups.SendToUserAsync"/>).</summary>
    User,

    /// <summary>Every session of an endpoint, by its path template (<see cref="WebSocketGroups.SendToEndpointAsync"/>).</summary>
    Endpoint,

    /// <summary>One session, by id (<see cref="WebSocketGroups.SendToSessionAsync"/>).</summary>
    Session,
}
