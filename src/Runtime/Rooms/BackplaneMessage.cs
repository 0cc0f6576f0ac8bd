namespace Annotated.WebSockets;

/// <summary>A message on its way between nodes: what it is, and who it is for.</summary>
public sealed class BackplaneMessage
{
    /// <summary>Makes a message for other nodes.</summary>
    /// <param name="targetKind">What <paramref name="target"/> names.</param>
    /// <param name="target">The group name, user id, endpoint path template or session id.</param>
    /// <param name="exceptSessionIds">Sessions that do not get it (a group send's except list); empty for the other targets.</param>
    /// <param name="message">The message, encoded once.</param>
    public BackplaneMessage(BackplaneTargetKind targetKind, string target, IReadOnlyCollection<string> exceptSessionIds, PreparedMessage message)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(exceptSessionIds);
        ArgumentNullException.ThrowIfNull(message);
        TargetKind = targetKind;
        Target = target;
        ExceptSessionIds = exceptSessionIds;
        Message = message;
    }

    /// <summary>What <see cref="Target"/> names.</summary>
    public BackplaneTargetKind TargetKind { get; }

    /// <summary>The group name, user id, endpoint path template or session id.</summary>
    public string Target { get; }

    /// <summary>Sessions that do not get it (a group send's except list); empty for the other targets.</summary>
    public IReadOnlyCollection<string> ExceptSessionIds { get; }

    /// <summary>The message, encoded once.</summary>
    public PreparedMessage Message { get; }
}
