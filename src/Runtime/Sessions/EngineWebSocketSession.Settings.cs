namespace Annotated.WebSockets.Sessions;

// The per-session limits (idle timeout, buffer sizes), which start at the container's values and may be
// changed by the application at any time; a change applies from the next message (buffer sizes) or at the
// heartbeat's next tick (idle timeout, measured from the last activity).
internal sealed partial class EngineWebSocketSession
{
    private AsyncRemoteEndpoint? _asyncRemote;   // made on first use of AsyncRemote

    /// <inheritdoc />
    /// <remarks>Measured from the last activity on the heartbeat's next tick; a shorter timeout makes the ticks more frequent.</remarks>
    public override TimeSpan MaxIdleTimeout
    {
        get => _idleTimeout;
        set
        {
            _idleTimeout = value;
            _context.Heartbeat.RequestResolution(value);
        }
    }

    /// <inheritdoc />
    public override int MaxTextMessageBufferSize
    {
        get => _maxTextMessageBufferSize;
        set => _maxTextMessageBufferSize = Positive(value);
    }

    /// <inheritdoc />
    public override int MaxBinaryMessageBufferSize
    {
        get => _maxBinaryMessageBufferSize;
        set => _maxBinaryMessageBufferSize = Positive(value);
    }

    private static int ClampToInt(long value) => value is > 0 and <= int.MaxValue ? (int)value : int.MaxValue;

    private static int Positive(int value) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A message buffer size must be positive.");
}
