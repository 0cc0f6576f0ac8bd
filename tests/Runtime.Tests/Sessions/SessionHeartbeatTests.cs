using Annotated.WebSockets.Diagnostics;
using Annotated.WebSockets.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>
/// The container's one timer (<see cref="SessionHeartbeat"/>) on a fake clock: FakeTimeProvider runs a due timer's
/// callback synchronously inside Advance (a periodic one once per period that the advance crosses), so every count and
/// timestamp below is exact.
/// </summary>
public sealed class SessionHeartbeatTests
{
    private static readonly TimeSpan OneTick = TimeSpan.FromTicks(1);

    [Fact]
    public void Ticks_TheRegisteredHandlers_WithTheClocksTimestampAtEachTick()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        var start = clock.GetTimestamp();

        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        heartbeat.Register(b, TimeSpan.FromSeconds(4));
        Assert.Equal(TimeSpan.FromSeconds(1), heartbeat.Period);
        Assert.Equal(2, heartbeat.Count);

        clock.Advance(TimeSpan.FromSeconds(1) - OneTick);
        Assert.Empty(a.Ticks);

        clock.Advance(OneTick);
        Assert.Equal([start + TimeSpan.TicksPerSecond], a.Ticks);
        Assert.Equal(a.Ticks, b.Ticks);

        // Period by period: each tick carries the time of that tick.
        clock.Advance(TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([1, 2, 3], a.Ticks.Select(t => (t - start) / TimeSpan.TicksPerSecond));
        Assert.Equal(a.Ticks, b.Ticks);

        // One advance over three periods ticks three times (FakeTimeProvider 10.0 runs a periodic timer once per
        // period crossed, but every one of those callbacks reads the clock's final time).
        clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(6, a.Ticks.Count);
        Assert.Equal(clock.GetTimestamp(), a.Ticks[^1]);
        Assert.Equal(a.Ticks, b.Ticks);
    }

    [Theory]
    [InlineData(4_000, 1_000)]        // a quarter
    [InlineData(100, 25)]
    [InlineData(2_000, 500)]
    [InlineData(40, 10)]              // exactly MinPeriod
    [InlineData(1, 10)]               // clamped up to MinPeriod
    [InlineData(4_004, 1_000)]        // clamped down to MaxPeriod
    [InlineData(3_600_000, 1_000)]
    [InlineData(0, 1_000)]            // no timeout: MaxPeriod
    [InlineData(-1, 1_000)]           // infinite: MaxPeriod
    public void Period_IsAQuarterOfTheShortestTimeout_WithinMinAndMaxPeriod(int timeoutMilliseconds, int expectedMilliseconds)
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var handler = new RecordingHandler();
        var expected = TimeSpan.FromMilliseconds(expectedMilliseconds);

        heartbeat.Register(handler, TimeSpan.FromMilliseconds(timeoutMilliseconds));

        Assert.Equal(expected, heartbeat.Period);
        Assert.InRange(heartbeat.Period, SessionHeartbeat.MinPeriod, SessionHeartbeat.MaxPeriod);

        // The timer ticks at that period, not just reports it.
        clock.Advance(expected - OneTick);
        Assert.Empty(handler.Ticks);
        clock.Advance(OneTick);
        Assert.Single(handler.Ticks);
        clock.Advance(expected * 3);
        Assert.Equal(4, handler.Ticks.Count);
    }

    [Fact]
    public void Period_FollowsTheShortestTimeoutOfAllRegisteredHandlers()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);

        heartbeat.Register(new RecordingHandler(), TimeSpan.FromSeconds(2));
        heartbeat.Register(new RecordingHandler(), TimeSpan.FromMilliseconds(200));
        heartbeat.Register(new RecordingHandler(), TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromMilliseconds(50), heartbeat.Period);
    }

    [Fact]
    public void Register_WhileRunning_WithAShorterTimeout_TicksAtTheShorterPeriod()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var slow = new RecordingHandler();
        var fast = new RecordingHandler();
        heartbeat.Register(slow, TimeSpan.FromSeconds(4));

        // The timer is running at 1 s when a session with a 100 ms timeout opens: it must be ticked every 25 ms,
        // or its timeout fires up to 1 s late instead of within 1¼ of its length.
        heartbeat.Register(fast, TimeSpan.FromMilliseconds(100));
        Assert.Equal(TimeSpan.FromMilliseconds(25), heartbeat.Period);

        clock.Advance(TimeSpan.FromMilliseconds(25));
        Assert.Single(fast.Ticks);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, fast.Ticks.Count);
    }

    [Fact]
    public void RequestResolution_LowersThePeriod_AndTheTimerFollows()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var handler = new RecordingHandler();
        heartbeat.Register(handler, TimeSpan.FromSeconds(10));
        Assert.Equal(SessionHeartbeat.MaxPeriod, heartbeat.Period);

        heartbeat.RequestResolution(TimeSpan.FromMilliseconds(200));

        Assert.Equal(TimeSpan.FromMilliseconds(50), heartbeat.Period);
        clock.Advance(TimeSpan.FromMilliseconds(50) - OneTick);
        Assert.Empty(handler.Ticks);
        clock.Advance(OneTick);
        Assert.Single(handler.Ticks);
        clock.Advance(TimeSpan.FromMilliseconds(150));
        Assert.Equal(4, handler.Ticks.Count);
    }

    [Theory]
    [InlineData(400)]       // the same period
    [InlineData(10_000)]    // a longer one
    [InlineData(0)]         // no timeout
    [InlineData(-1)]        // infinite
    public void RequestResolution_NeverRaisesThePeriod(int timeoutMilliseconds)
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var handler = new RecordingHandler();
        heartbeat.Register(handler, TimeSpan.FromMilliseconds(400));

        heartbeat.RequestResolution(TimeSpan.FromMilliseconds(timeoutMilliseconds));

        Assert.Equal(TimeSpan.FromMilliseconds(100), heartbeat.Period);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Equal(4, handler.Ticks.Count);
    }

    [Fact]
    public void RequestResolution_BeforeAnyRegistration_IsKeptForTheFirstRegistration()
    {
        var clock = new FakeTimeProvider();
        var timers = new CountingTimeProvider(clock);
        using var heartbeat = new SessionHeartbeat(timers, NullLogger.Instance);

        heartbeat.RequestResolution(TimeSpan.FromMilliseconds(100));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, timers.Callbacks);   // nothing registered: no timer runs

        var handler = new RecordingHandler();
        heartbeat.Register(handler, TimeSpan.Zero);
        clock.Advance(TimeSpan.FromMilliseconds(25));
        Assert.Single(handler.Ticks);
    }

    [Fact]
    public void Unregister_StopsTicksForExactlyThatHandler_IncludingASwapRemovedMiddleOne()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        var c = new RecordingHandler();
        var d = new RecordingHandler();
        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        heartbeat.Register(b, TimeSpan.FromSeconds(4));
        heartbeat.Register(c, TimeSpan.FromSeconds(4));
        heartbeat.Register(d, TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.All(new[] { a, b, c, d }, h => Assert.Single(h.Ticks));

        // b is in the middle: the last (d) takes its slot.
        heartbeat.Unregister(b);
        Assert.Equal(-1, b.HeartbeatSlot);
        Assert.Equal(3, heartbeat.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, a.Ticks.Count);
        Assert.Single(b.Ticks);
        Assert.Equal(2, c.Ticks.Count);
        Assert.Equal(2, d.Ticks.Count);

        // d moved: unregistering it by its new slot removes d, not whatever is last now.
        heartbeat.Unregister(d);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, a.Ticks.Count);
        Assert.Single(b.Ticks);
        Assert.Equal(3, c.Ticks.Count);
        Assert.Equal(2, d.Ticks.Count);

        // The first: c (now last) moves into slot 0 and keeps ticking.
        heartbeat.Unregister(a);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, a.Ticks.Count);
        Assert.Equal(4, c.Ticks.Count);
        Assert.Equal(1, heartbeat.Count);
    }

    [Fact]
    public void Unregister_OfAHandlerThatIsNotRegistered_ChangesNothing()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        var stranger = new RecordingHandler();
        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        heartbeat.Register(b, TimeSpan.FromSeconds(4));

        heartbeat.Unregister(stranger);
        heartbeat.Unregister(b);
        heartbeat.Unregister(b);   // twice

        // A stranger claiming a's slot is not a.
        stranger.HeartbeatSlot = a.HeartbeatSlot;
        heartbeat.Unregister(stranger);

        Assert.Equal(1, heartbeat.Count);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Single(a.Ticks);
        Assert.Empty(b.Ticks);
        Assert.Empty(stranger.Ticks);
    }

    [Fact]
    public void Timer_StopsWhenTheLastHandlerLeaves_AndRestartsOnTheNextRegister()
    {
        var clock = new FakeTimeProvider();
        var timers = new CountingTimeProvider(clock);
        using var heartbeat = new SessionHeartbeat(timers, NullLogger.Instance);
        var a = new RecordingHandler();
        var b = new RecordingHandler();
        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        heartbeat.Register(b, TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, timers.Callbacks);

        heartbeat.Unregister(a);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, timers.Callbacks);   // b is still there

        heartbeat.Unregister(b);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, timers.Callbacks);   // nobody registered: no ticks at all
        Assert.Equal(0, heartbeat.Count);

        // Half a period into the idle time: the restarted timer counts a whole period from the register.
        var c = new RecordingHandler();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        var registeredAt = clock.GetTimestamp();
        heartbeat.Register(c, TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromSeconds(1) - OneTick);
        Assert.Empty(c.Ticks);
        clock.Advance(OneTick);
        Assert.Equal([registeredAt + TimeSpan.TicksPerSecond], c.Ticks);
        Assert.Equal(4, timers.Callbacks);
        Assert.Equal(1, timers.TimersCreated);   // one timer per heartbeat, reused
    }

    [Fact]
    public void AThrowingHandler_DoesNotStopTheOthers_AndIsLogged()
    {
        var clock = new FakeTimeProvider();
        var logger = new CapturingLogger();
        using var heartbeat = new SessionHeartbeat(clock, logger);
        var before = new RecordingHandler();
        var thrower = new RecordingHandler { Throw = true };
        var after = new RecordingHandler();
        heartbeat.Register(before, TimeSpan.FromSeconds(4));
        heartbeat.Register(thrower, TimeSpan.FromSeconds(4));
        heartbeat.Register(after, TimeSpan.FromSeconds(4));

        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(2, before.Ticks.Count);
        Assert.Equal(2, thrower.Ticks.Count);   // still registered, still ticked
        Assert.Equal(2, after.Ticks.Count);
        Assert.Equal(2, logger.Entries.Count);
        Assert.All(logger.Entries, entry =>
        {
            Assert.Equal(LogLevel.Error, entry.Level);
            Assert.Equal(LogEvents.HeartbeatHandlerFailed, entry.EventId);
            Assert.IsType<InvalidOperationException>(entry.Exception);
        });
    }

    [Fact]
    public void AHandlerThatUnregistersItselfDuringATick_IsNotTickedAgain_AndTheOthersAre()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new SessionHeartbeat(clock, NullLogger.Instance);
        var a = new RecordingHandler();
        var leaving = new RecordingHandler();
        var c = new RecordingHandler();
        leaving.OnTick = () => heartbeat.Unregister(leaving);   // a session that closes on its timeout
        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        heartbeat.Register(leaving, TimeSpan.FromSeconds(4));
        heartbeat.Register(c, TimeSpan.FromSeconds(4));

        clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(3, a.Ticks.Count);
        Assert.Single(leaving.Ticks);
        Assert.Equal(3, c.Ticks.Count);
    }

    [Fact]
    public void Dispose_StopsTheTimer_AndALaterRegisterDoesNotStartIt()
    {
        var clock = new FakeTimeProvider();
        var timers = new CountingTimeProvider(clock);
        var heartbeat = new SessionHeartbeat(timers, NullLogger.Instance);
        var a = new RecordingHandler();
        heartbeat.Register(a, TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromSeconds(1));

        heartbeat.Dispose();
        heartbeat.Register(new RecordingHandler(), TimeSpan.FromSeconds(4));
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, timers.Callbacks);
        Assert.Single(a.Ticks);
    }

    private sealed class RecordingHandler : IHeartbeatHandler
    {
        private readonly List<long> _ticks = [];

        public int HeartbeatSlot { get; set; } = -1;

        public bool Throw { get; init; }

        public Action? OnTick { get; set; }

        /// <summary>The timestamps it was ticked with (ticks run inside FakeTimeProvider.Advance, on the test's thread).</summary>
        public List<long> Ticks
        {
            get
            {
                lock (_ticks)
                {
                    return [.. _ticks];
                }
            }
        }

        public void OnHeartbeat(long now)
        {
            lock (_ticks)
            {
                _ticks.Add(now);
            }

            OnTick?.Invoke();
            if (Throw)
            {
                throw new InvalidOperationException("handler defect");
            }
        }
    }

    /// <summary>The fake clock, counting the timers created on it and their callbacks (a tick with nobody registered is invisible otherwise).</summary>
    private sealed class CountingTimeProvider(FakeTimeProvider clock) : TimeProvider
    {
        private int _callbacks;
        private int _created;

        public int Callbacks => Volatile.Read(ref _callbacks);

        public int TimersCreated => Volatile.Read(ref _created);

        public override long TimestampFrequency => clock.TimestampFrequency;

        public override long GetTimestamp() => clock.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            return clock.CreateTimer(
                s =>
                {
                    Interlocked.Increment(ref _callbacks);
                    callback(s);
                },
                state,
                dueTime,
                period);
        }
    }
}
