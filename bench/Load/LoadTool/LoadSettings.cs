namespace Annotated.WebSockets.Bench.Load;

/// <summary>The sizes of one run: <see cref="Quick"/> for a smoke run of seconds, <see cref="Default"/> for a few minutes.</summary>
internal sealed record LoadSettings(
    TimeSpan Warmup,
    TimeSpan Measure,
    int ManyConnections,
    int IdleConnections,
    int SmallMessageBytes,
    int LargeMessageBytes,
    int LargeConnections)
{
    /// <summary>
    /// How long the idle connections sit before the memory is read (and while a heap dump can be taken: the tool
    /// prints the server's process id when this is longer than the default).
    /// </summary>
    public TimeSpan IdleHold { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How many times each server is measured per echo profile, in interleaved rounds whose order of servers rotates;
    /// with more than one the report shows medians and ratios taken within each round.
    /// </summary>
    public int Rounds { get; init; } = 1;

    public static LoadSettings Default { get; } = new(
        Warmup: TimeSpan.FromSeconds(2),
        Measure: TimeSpan.FromSeconds(8),
        ManyConnections: 1000,
        IdleConnections: 10_000,
        SmallMessageBytes: 32,
        LargeMessageBytes: 64 * 1024,
        LargeConnections: 16);

    public static LoadSettings Quick { get; } = Default with
    {
        Warmup = TimeSpan.FromSeconds(0.5),
        Measure = TimeSpan.FromSeconds(2),
        ManyConnections = 200,
        IdleConnections = 1000,
        Rounds = 3,
    };
}
