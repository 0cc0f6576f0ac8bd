using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets;

/// <summary>
/// A named message rate limit (<c>options.AddMessageRateLimitPolicy("chat", …)</c>), attached to an endpoint with
/// <see cref="ServerEndpointAttribute.RateLimitPolicy"/> or to one message kind with
/// <see cref="OnMessageAttribute.RateLimitPolicy"/>. Each session has its own buckets; a message passes when every
/// bucket of the policy has a token (buckets chain: 20 a second and 300 a minute), otherwise <see cref="Action"/>
/// applies.
/// </summary>
public sealed class MessageRateLimitPolicy
{
    private readonly List<MessageTokenBucket> _buckets = [];
    private MessageRateLimitAction _action = MessageRateLimitAction.Delay;
    private int _rejectionBudget;

    /// <summary>The buckets a message takes a token from, each one per session; at least one is required.</summary>
    public IReadOnlyList<MessageTokenBucket> TokenBuckets => _buckets;

    /// <summary>What happens to a message that finds a bucket empty. Default: <see cref="MessageRateLimitAction.Delay"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the enum's.</exception>
    public MessageRateLimitAction Action
    {
        get => _action;
        set => _action = value is MessageRateLimitAction.Delay or MessageRateLimitAction.Reject or MessageRateLimitAction.Close
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a message rate-limit action.");
    }

    /// <summary>
    /// With <see cref="MessageRateLimitAction.Close"/>: how many messages over the limit a session may send (each
    /// rejected as with <see cref="MessageRateLimitAction.Reject"/>) before the next one closes it with 1008; counted
    /// over the session's life. Zero (the default) closes at the first. Ignored by the other actions.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int RejectionBudget
    {
        get => _rejectionBudget;
        set => _rejectionBudget = value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The rejection budget must be zero or positive.");
    }

    /// <summary>
    /// Adds a token bucket: at most <paramref name="tokenLimit"/> messages at once, then
    /// <paramref name="tokensPerPeriod"/> every <paramref name="replenishmentPeriod"/>.
    /// </summary>
    /// <param name="tokenLimit">The most tokens the bucket holds (the largest burst); positive.</param>
    /// <param name="tokensPerPeriod">The tokens added each period; positive.</param>
    /// <param name="replenishmentPeriod">How often tokens are added; positive.</param>
    /// <returns>This policy, to add more.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative.</exception>
    public MessageRateLimitPolicy AddTokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan replenishmentPeriod)
    {
        _buckets.Add(new MessageTokenBucket(tokenLimit, tokensPerPeriod, replenishmentPeriod));
        return this;
    }

    /// <summary>
    /// Adds a bucket of <paramref name="messages"/> tokens refilled whole every <paramref name="period"/>: at most that
    /// many messages per period, in a burst or spread out.
    /// </summary>
    /// <param name="messages">The messages per period; positive.</param>
    /// <param name="period">The period; positive.</param>
    /// <returns>This policy, to add more.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative.</exception>
    public MessageRateLimitPolicy AddLimit(int messages, TimeSpan period) => AddTokenBucket(messages, messages, period);

    /// <summary>The frozen form sessions use; null with a reason when the policy cannot work.</summary>
    internal RateLimitRule? Freeze(string name, TimeProvider clock, out string? error)
    {
        if (_buckets.Count == 0)
        {
            error = $"the message rate-limit policy '{name}' has no token bucket; add one with AddTokenBucket or AddLimit.";
            return null;
        }

        error = null;
        return RateLimitRule.Create(name, _action, _rejectionBudget, _buckets, clock);
    }
}
