namespace Annotated.WebSockets.Sessions;

/// A <see cref="MessageRateLimitPolicy"/> frozen at start-up: its buckets in the clock's timestamp units, so a session
/// computes refills with integer arithmetic and no conversion per message.
internal sealed class RateLimitRule
{
    private RateLimitRule(string name, MessageRateLimitAction action, int rejectionBudget, BucketShape[] buckets)
    {
        Name = name;
        Action = action;
        RejectionBudget = rejectionBudget;
        Buckets = buckets;
    }

    public string Name { get; }

    public MessageRateLimitAction Action { get; }

    public int RejectionBudget { get; }

    public BucketShape[] Buckets { get; }

    public static RateLimitRule Create(string name, MessageRateLimitAction action, int rejectionBudget, IReadOnlyList<MessageTokenBucket> buckets, TimeProvider clock)
    {
        var shapes = new BucketShape[buckets.Count];
        var frequency = clock.TimestampFrequency;
        for (var i = 0; i < shapes.Length; i++)
        {
            var bucket = buckets[i];
            // Ticks of the clock per period, at least one (a period shorter than the clock's resolution).
            var period = Math.Max(1, (long)(bucket.ReplenishmentPeriod.Ticks * (double)frequency / TimeSpan.TicksPerSecond));
            shapes[i] = new BucketShape(bucket.TokenLimit, bucket.TokensPerPeriod, period);
        }

        return new RateLimitRule(name, action, rejectionBudget, shapes);
    }

    /// One bucket's shape: capacity, refill per period, period in clock timestamp units.
    internal readonly record struct BucketShape(int TokenLimit, int TokensPerPeriod, long PeriodTimestamps);
}
