namespace Annotated.WebSockets.Sessions;

/// One session's state of one rate-limit policy: the tokens of each bucket and when each was last refilled, as
/// timestamps of the session's clock. Only the receive loop touches it (one message at a time), so it takes no lock;
/// the refill is computed when a message arrives, so nothing runs between messages: no timer, no loop.
internal sealed class SessionRateLimiter
{
    private readonly RateLimitRule _rule;
    private readonly int[] _tokens;
    private readonly long[] _refilledAt;
    private int _rejections;

    public SessionRateLimiter(RateLimitRule rule, long now)
    {
        _rule = rule;
        var buckets = rule.Buckets;
        _tokens = new int[buckets.Length];
        _refilledAt = new long[buckets.Length];
        for (var i = 0; i < buckets.Length; i++)
        {
            _tokens[i] = buckets[i].TokenLimit;
            _refilledAt[i] = now;
        }
    }

    public RateLimitRule Rule => _rule;

    /// <summary>
    /// Takes a token from every bucket when each has one; otherwise takes none and returns false with the time until
    /// every bucket has one again (in the clock's timestamp units).
    /// </summary>
    public bool TryAcquire(long now, out long waitTimestamps)
    {
        var buckets = _rule.Buckets;
        waitTimestamps = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            var shape = buckets[i];
            Refill(i, shape, now);
            if (_tokens[i] == 0)
            {
                // The next period's refill is the first that adds a token.
                var wait = _refilledAt[i] + shape.PeriodTimestamps - now;
                waitTimestamps = Math.Max(waitTimestamps, Math.Max(1, wait));
            }
        }

        if (waitTimestamps > 0)
        {
            return false;
        }

        for (var i = 0; i < _tokens.Length; i++)
        {
            _tokens[i]--;
        }

        return true;
    }

    /// <summary>Counts a rejection; true while the policy's rejection budget lasts (false: close the session).</summary>
    public bool TryReject() => ++_rejections <= _rule.RejectionBudget;

    private void Refill(int i, RateLimitRule.BucketShape shape, long now)
    {
        var elapsed = now - _refilledAt[i];
        if (elapsed < shape.PeriodTimestamps)
        {
            return;
        }

        var periods = elapsed / shape.PeriodTimestamps;
        var added = periods * shape.TokensPerPeriod;
        var tokens = _tokens[i] + added;
        if (tokens >= shape.TokenLimit)
        {
            // Full: a new period starts now, as a bucket that had been full all along would.
            _tokens[i] = shape.TokenLimit;
            _refilledAt[i] = now;
        }
        else
        {
            _tokens[i] = (int)tokens;
            _refilledAt[i] += periods * shape.PeriodTimestamps;
        }
    }
}
