namespace Annotated.WebSockets.Sessions;

/// The checks of the public settings (<see cref="WebSocketSessionOptions"/> and the few container-only ones), so a
/// value means the same and fails with the same message wherever it is set.
internal static class SettingGuard
{
    /// The longest finite timeout a setting accepts: int.MaxValue milliseconds (about 24.8 days). Timers and
    /// CancellationTokenSource.CancelAfter take at most about twice that, and a timeout is sometimes doubled (the
    /// close wait); a longer finite value would be indistinguishable from none and could fail deep inside a session.
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");

    public static long Positive(long value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");

    /// A timeout that must be positive and finite (the close timeout).
    public static TimeSpan Positive(TimeSpan value, string what) =>
        value > TimeSpan.Zero && value <= MaxTimeout
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be positive and at most {MaxTimeout}.");

    /// A timeout that may be <see cref="Timeout.InfiniteTimeSpan"/> for none, but not zero.
    public static TimeSpan PositiveOrInfinite(TimeSpan value, string what) =>
        (value > TimeSpan.Zero && value <= MaxTimeout) || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be positive (at most {MaxTimeout}) or infinite.");

    /// A timeout or interval where <see cref="TimeSpan.Zero"/> and <see cref="Timeout.InfiniteTimeSpan"/> both mean
    /// none (the rule of <c>ClientWebSocketOptions.KeepAliveInterval</c>); any other negative value is a mistake.
    public static TimeSpan ZeroOrPositiveOrInfinite(TimeSpan value, string what) =>
        (value >= TimeSpan.Zero && value <= MaxTimeout) || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be zero or infinite (none), or positive and at most {MaxTimeout}.");

    /// A timeout checked only on the heartbeat (the idle timeout): no timer holds it, so any length is accepted, up to
    /// <see cref="TimeSpan.MaxValue"/>; zero and <see cref="Timeout.InfiniteTimeSpan"/> mean none.
    public static TimeSpan ZeroOrPositiveUnbounded(TimeSpan value, string what) =>
        value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be zero or infinite (none), or positive.");

    public static CloseCode SendQueueTimeoutCloseCode(CloseCode value) =>
        value is CloseCode.ViolatedPolicy or CloseCode.UnexpectedCondition
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The send queue timeout closes with 1008 (ViolatedPolicy) or 1011 (UnexpectedCondition).");
}
