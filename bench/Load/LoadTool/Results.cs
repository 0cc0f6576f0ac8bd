namespace Annotated.WebSockets.Bench.Load;

/// <summary>One echo profile against one server.</summary>
internal sealed record EchoResult(
    string Profile,
    string Server,
    long RoundTrips,
    double MessagesPerSecond,
    double P50Micros,
    double P99Micros,
    double P999Micros,
    double ServerCpuMicrosPerMessage,
    int Errors,
    string LoadAverage)
{
    /// <summary>The interleaved round (1-based) this measurement belongs to.</summary>
    public int Round { get; init; } = 1;

    /// <summary>The measurement's place in its round (1-based): the order of the servers rotates from round to round.</summary>
    public int Position { get; init; } = 1;
}

/// <summary>The machine's load average when one round of one echo profile began and ended.</summary>
internal sealed record RoundLoad(string Profile, int Round, string Order, string LoadAtStart, string LoadAtEnd);

/// <summary>The idle-connection profile against one server.</summary>
internal sealed record IdleResult(string Server, int Connections, long RssBeforeBytes, long RssAfterBytes, string LoadAverage)
{
    public double BytesPerConnection => Connections == 0 ? double.NaN : (RssAfterBytes - RssBeforeBytes) / (double)Connections;
}

/// <summary>Process start to the first accepted WebSocket connection.</summary>
internal sealed record StartupResult(string Server, double Milliseconds, string LoadAverage);
