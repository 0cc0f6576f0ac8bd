using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets;

/// <summary>
/// One token bucket of a <see cref="MessageRateLimitPolicy"/>: it holds at most <see cref="TokenLimit"/> tokens (the
/// burst), starts full, and gains <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>; each message
/// takes one token. Every session has its own bucket: one peer's flood never takes another's tokens.
/// </summary>
/// <remarks>
/// The refill is computed from the session clock's timestamps when a message arrives, so no timer or loop runs per
/// bucket (<c>System.Threading.RateLimiting</c>'s <c>TokenBucketRateLimiter</c> arms a timer per limiter when it
/// replenishes itself, and reads <c>Stopwatch</c> rather than a <see cref="TimeProvider"/>).
/// </remarks>
public sealed class MessageTokenBucket
{
    /// <summary>Creates a bucket.</summary>
    /// <param name="tokenLimit">The most tokens the bucket holds (the largest burst); positive.</param>
    /// <param name="tokensPerPeriod">The tokens added each period; positive.</param>
    /// <param name="replenishmentPeriod">How often tokens are added; positive and at most about 24.8 days.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is zero or negative, or the period is too long.</exception>
    public MessageTokenBucket(int tokenLimit, int tokensPerPeriod, TimeSpan replenishmentPeriod)
    {
        TokenLimit = tokenLimit > 0
            ? tokenLimit
            : throw new ArgumentOutOfRangeException(nameof(tokenLimit), tokenLimit, "A rate limit's token limit must be positive.");
        TokensPerPeriod = tokensPerPeriod > 0
            ? tokensPerPeriod
            : throw new ArgumentOutOfRangeException(nameof(tokensPerPeriod), tokensPerPeriod, "A rate limit's tokens per period must be positive.");
        ReplenishmentPeriod = SettingGuard.Positive(replenishmentPeriod, "replenishment period of a rate limit");
    }

    /// <summary>The most tokens the bucket holds, and the tokens it starts with.</summary>
    public int TokenLimit { get; }

    /// <summary>The tokens added every <see cref="ReplenishmentPeriod"/>, up to <see cref="TokenLimit"/>.</summary>
    public int TokensPerPeriod { get; }

    /// <summary>How often <see cref="TokensPerPeriod"/> tokens are added.</summary>
    public TimeSpan ReplenishmentPeriod { get; }

    /// <inheritdoc />
    public override string ToString() => $"{TokenLimit} tokens, {TokensPerPeriod} per {ReplenishmentPeriod}";
}
