namespace Annotated.WebSockets;

/// <summary>
/// Limits and policies of <see cref="WebSocketGroups"/>: <c>AnnotatedWebSocketsOptions.Groups</c> on the server,
/// <c>WebSocketContainer.GroupOptions</c> on the client.
/// </summary>
public sealed class WebSocketGroupOptions
{
    private int _maxGroupsPerSession = 100;
    private int _maxGroupNameLength = 256;

    /// <summary>
    /// How many groups one session may be in at once; joining one more throws <see cref="InvalidOperationException"/>.
    /// Bounds what a session that joins groups on its peer's request can make the server hold. Default: 100.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxGroupsPerSession
    {
        get => _maxGroupsPerSession;
        set => _maxGroupsPerSession = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "At least one group per session.");
    }

    /// <summary>The longest group name, in characters; a longer one throws <see cref="ArgumentException"/>. Default: 256.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxGroupNameLength
    {
        get => _maxGroupNameLength;
        set => _maxGroupNameLength = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A group name has at least one character.");
    }

    /// <summary>What a broadcast does for a member whose send queue is full, unless its endpoint or group says otherwise. Default: <see cref="GroupOverflowPolicy.Close"/>.</summary>
    public GroupOverflowPolicy OverflowPolicy { get; set; } = GroupOverflowPolicy.Close;

    /// <summary>The overflow policy of the members of one endpoint, by its path template (e.g. <c>"/chat/{room}"</c>).</summary>
    public IDictionary<string, GroupOverflowPolicy> EndpointOverflowPolicy { get; } =
        new Dictionary<string, GroupOverflowPolicy>(StringComparer.Ordinal);
}
