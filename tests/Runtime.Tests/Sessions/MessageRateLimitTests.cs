using Annotated.WebSockets.Server;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// The token buckets of a session's rate-limit policy on a fake clock (refill computed from timestamps, nothing ticks),
/// and the checks of the policy settings.
/// </summary>
public class MessageRateLimitTests
{
    [Fact]
    public void A_bucket_lets_its_burst_through_then_one_refill_per_period()
    {
        var clock = FakeClock.Create();
        var limiter = Limiter(clock, policy => policy.AddTokenBucket(tokenLimit: 3, tokensPerPeriod: 1, TimeSpan.FromSeconds(1)));

        Assert.Equal(3, TakeAll(limiter, clock));
        Assert.False(limiter.TryAcquire(clock.GetTimestamp(), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(1), Elapsed(clock, wait));

        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(limiter.TryAcquire(clock.GetTimestamp(), out wait));
        Assert.Equal(TimeSpan.FromMilliseconds(1), Elapsed(clock, wait));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, TakeAll(limiter, clock));

        // Two and a half periods: two tokens, and the half period counts toward the next.
        clock.Advance(TimeSpan.FromMilliseconds(2500));
        Assert.Equal(2, TakeAll(limiter, clock));
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, TakeAll(limiter, clock));
    }

    [Fact]
    public void A_bucket_never_holds_more_than_its_limit()
    {
        var clock = FakeClock.Create();
        var limiter = Limiter(clock, policy => policy.AddLimit(5, TimeSpan.FromSeconds(1)));
        TakeAll(limiter, clock);

        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(5, TakeAll(limiter, clock));
    }

    [Fact]
    public void Chained_buckets_let_a_message_through_only_when_each_has_a_token_and_wait_for_the_slowest()
    {
        var clock = FakeClock.Create();
        var limiter = Limiter(clock, policy => policy
            .AddLimit(2, TimeSpan.FromSeconds(1))
            .AddLimit(3, TimeSpan.FromMinutes(1)));

        Assert.Equal(2, TakeAll(limiter, clock));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, TakeAll(limiter, clock));   // the minute bucket is empty now

        Assert.False(limiter.TryAcquire(clock.GetTimestamp(), out var wait));
        Assert.Equal(TimeSpan.FromSeconds(59), Elapsed(clock, wait));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(2, TakeAll(limiter, clock));
    }

    [Fact]
    public void A_failed_attempt_takes_no_token_from_any_bucket()
    {
        var clock = FakeClock.Create();
        var limiter = Limiter(clock, policy => policy
            .AddLimit(1, TimeSpan.FromSeconds(1))
            .AddLimit(10, TimeSpan.FromSeconds(1)));
        Assert.Equal(1, TakeAll(limiter, clock));

        for (var i = 0; i < 20; i++)
        {
            Assert.False(limiter.TryAcquire(clock.GetTimestamp(), out _));
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, TakeAll(limiter, clock));
    }

    [Fact]
    public void The_rejection_budget_counts_over_the_session()
    {
        var clock = FakeClock.Create();
        var limiter = Limiter(clock, policy =>
        {
            policy.AddLimit(1, TimeSpan.FromSeconds(1));
            policy.Action = MessageRateLimitAction.Close;
            policy.RejectionBudget = 2;
        });

        Assert.True(limiter.TryReject());
        Assert.True(limiter.TryReject());
        Assert.False(limiter.TryReject());
    }

    [Theory]
    [InlineData(0, 1, 1000)]
    [InlineData(-1, 1, 1000)]
    [InlineData(1, 0, 1000)]
    [InlineData(1, -5, 1000)]
    [InlineData(1, 1, 0)]
    [InlineData(1, 1, -1)]
    public void A_limit_refill_or_period_of_zero_or_less_is_refused(int tokenLimit, int tokensPerPeriod, int periodMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new MessageRateLimitPolicy().AddTokenBucket(tokenLimit, tokensPerPeriod, TimeSpan.FromMilliseconds(periodMs)));

    [Fact]
    public void Policy_settings_are_checked_where_they_are_set()
    {
        var options = new AnnotatedWebSocketsOptions();

        Assert.Throws<ArgumentException>(() => options.AddMessageRateLimitPolicy(" ", static p => p.AddLimit(1, TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageRateLimitPolicy().AddLimit(0, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageRateLimitPolicy { RejectionBudget = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageRateLimitPolicy { Action = (MessageRateLimitAction)7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessageRateLimitPolicy().AddLimit(1, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void The_table_reports_unknown_names_with_the_configured_ones_and_policies_without_buckets()
    {
        var options = new AnnotatedWebSocketsOptions()
            .AddMessageRateLimitPolicy("chat", static p => p.AddLimit(20, TimeSpan.FromSeconds(1)))
            .AddMessageRateLimitPolicy("empty", static _ => { });

        var table = RateLimitTable.Create(options.MessageRateLimitPolicies, FakeClock.Create());

        Assert.Equal(["the message rate-limit policy 'empty' has no token bucket; add one with AddTokenBucket or AddLimit."], table.Errors);
        Assert.Empty(table.Check("chat", null, "chat", null));
        var problem = Assert.Single(table.Check(null, "chta", null, null));
        Assert.Contains("'chta'", problem, StringComparison.Ordinal);
        Assert.Contains("configured: 'chat'", problem, StringComparison.Ordinal);
    }

    private static SessionRateLimiter Limiter(FakeTimeProvider clock, Action<MessageRateLimitPolicy> configure)
    {
        var policy = new MessageRateLimitPolicy();
        configure(policy);
        var rule = policy.Freeze("test", clock, out var error) ?? throw new InvalidOperationException(error);
        return new SessionRateLimiter(rule, clock.GetTimestamp());
    }

    private static int TakeAll(SessionRateLimiter limiter, TimeProvider clock)
    {
        var taken = 0;
        while (limiter.TryAcquire(clock.GetTimestamp(), out _))
        {
            taken++;
        }

        return taken;
    }

    private static TimeSpan Elapsed(TimeProvider clock, long timestamps) => clock.GetElapsedTime(0, timestamps);
}
