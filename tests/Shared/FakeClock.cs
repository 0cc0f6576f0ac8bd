using Microsoft.Extensions.Time.Testing;

namespace Annotated.WebSockets.Tests.Shared;

/// <summary>
/// Driving the runtime's timeouts with a <see cref="FakeTimeProvider"/> (linked source from tests/Shared).
/// </summary>
/// <remarks>
/// FakeTimeProvider runs a due timer's callback synchronously inside <see cref="FakeTimeProvider.Advance(TimeSpan)"/>
/// (a periodic one once for each period the advance crosses, with the clock set to that tick), so a timeout whose timer
/// exists when the test advances fires exactly then. A chain of timeouts is different: a close started by the idle
/// timeout arms its close timeout later, on another thread, at whatever the fake time is by then. For those,
/// <see cref="AdvanceUntilAsync"/> advances in small steps and lets the background work run between them.
/// The real-time bounds here are not sleeps: they only fail a test that hangs.
/// </remarks>
internal static class FakeClock
{
    /// <summary>How long (real time) a test waits for what the fake clock set off.</summary>
    public static readonly TimeSpan SafetyBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A clock at a recent date (FakeTimeProvider starts at 2000-01-01): a host that compares the fake time with real
    /// dates (certificates, cookies, tokens) sees a sane now.
    /// </summary>
    public static FakeTimeProvider Create() => new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="step"/> until <paramref name="task"/> completes, yielding to
    /// the background work between steps, but never past <paramref name="atMost"/> of fake time (what the runtime
    /// promises); then waits, in real time only, for what the last advance set off. Fails when the task is still not
    /// done after that (or after <see cref="SafetyBound"/> of real time).
    /// </summary>
    /// <returns>The fake time that had to pass (the task is complete, but its outcome is the caller's to check).</returns>
    public static async Task<TimeSpan> AdvanceUntilAsync(this FakeTimeProvider clock, Task task, TimeSpan step, TimeSpan atMost)
    {
        var start = clock.GetUtcNow();
        var deadline = DateTime.UtcNow + SafetyBound;
        while (!task.IsCompleted)
        {
            var passed = clock.GetUtcNow() - start;
            if (passed >= atMost)
            {
                await Task.WhenAny(task, Task.Delay(SafetyBound)).ConfigureAwait(false);
                if (!task.IsCompleted)
                {
                    throw new TimeoutException($"Still not done after {passed} of fake time (at most {atMost} expected).");
                }

                break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still not done after {SafetyBound} of real time ({passed} of fake time).");
            }

            clock.Advance(step < atMost - passed ? step : atMost - passed);
            await Task.WhenAny(task, Task.Delay(1)).ConfigureAwait(false);
        }

        // Completed, not necessarily successfully: the caller awaits or inspects it.
        return clock.GetUtcNow() - start;
    }

    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="total"/> in steps of at most <paramref name="step"/>, as real
    /// time passes: one Advance over several periods of a periodic timer runs it once per period, but every one of
    /// those callbacks reads the final time (FakeTimeProvider 10.0), so the heartbeat would see no time between them.
    /// </summary>
    public static void AdvanceInSteps(this FakeTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        var end = clock.GetUtcNow() + total;
        while (clock.GetUtcNow() < end)
        {
            var left = end - clock.GetUtcNow();
            clock.Advance(left < step ? left : step);
        }
    }

    /// <summary>Waits (real time, at most <see cref="SafetyBound"/>) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + SafetyBound;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(2).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits (real time) until a count that has started moving stops for 300 ms: with the fake clock standing still, a
    /// send that stopped completing stays stuck. The real-time bounds only fail a test that hangs.
    /// </summary>
    public static async Task WaitUntilStalledAsync(Func<int> count)
    {
        var deadline = DateTime.UtcNow + SafetyBound;
        var last = -1;
        var since = DateTime.UtcNow;
        while (true)
        {
            var now = count();
            if (now != last || now == 0)
            {
                last = now;
                since = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - since > TimeSpan.FromMilliseconds(300))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The sends never stalled ({now} started).");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }
}
