namespace Annotated.WebSockets.Sessions;

/// The checks the server options and the client container share for the settings both have, so a value means the
/// same and fails with the same message on either side.
internal static class SettingGuard
{
    public static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");

    public static long Positive(long value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The value must be positive.");

    public static TimeSpan PositiveOrInfinite(TimeSpan value, string what) =>
        value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The {what} must be positive or infinite.");

    public static CloseCode SendQueueTimeoutCloseCode(CloseCode value) =>
        value is CloseCode.ViolatedPolicy or CloseCode.UnexpectedCondition
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The send queue timeout closes with 1008 (ViolatedPolicy) or 1011 (UnexpectedCondition).");
}
