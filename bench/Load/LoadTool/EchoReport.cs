using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>
/// The echo section of the report. One round: one row per measurement with its ratios to raw-aspnetcore (the report
/// as it always was). Several interleaved rounds: medians per profile and server, ratios taken within each round and
/// shown as the median with the range over rounds, then every round's raw values, so the medians can be checked.
/// </summary>
internal static class EchoReport
{
    public const string Raw = "raw-aspnetcore";

    /// <summary>The server every ratio is taken against (<c>--reference</c>; raw-aspnetcore unless told).</summary>
    public static string Reference { get; set; } = Raw;
    public const string SignalR = "signalr";

    /// <summary>A single round: rows in the order of the servers, then of the profiles.</summary>
    public static void WriteSingle(StringBuilder report, IReadOnlyList<EchoResult> results, IReadOnlyList<string> serverOrder)
    {
        report.AppendLine("## Echo round trips (closed loop)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| profile | server | msg/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | msg/s vs {Reference} | p99 vs {Reference} | CPU vs {Reference} | errors | load |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (EchoResult r in results.OrderBy(r => IndexOf(serverOrder, r.Server)))   // stable: profiles keep their order
        {
            EchoResult? raw = results.FirstOrDefault(b => b.Profile == r.Profile && b.Server == Reference);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Profile} | {r.Server} | {r.MessagesPerSecond:F0} | {r.P50Micros:F0} | {r.P99Micros:F0} | {r.P999Micros:F0} | {r.ServerCpuMicrosPerMessage:F1} | {Ratio(r.MessagesPerSecond, raw?.MessagesPerSecond)} | {Ratio(r.P99Micros, raw?.P99Micros)} | {Ratio(r.ServerCpuMicrosPerMessage, raw?.ServerCpuMicrosPerMessage)} | {r.Errors} | {r.LoadAverage} |");
        }
    }

    /// <summary>Several interleaved rounds: medians with per-round ratios, then the rounds themselves.</summary>
    public static void WriteRounds(
        StringBuilder report,
        IReadOnlyList<EchoResult> results,
        IReadOnlyList<RoundLoad> roundLoads,
        IReadOnlyList<string> profileOrder,
        IReadOnlyList<string> serverOrder,
        int rounds)
    {
        bool withSignalR = results.Any(static r => r.Server == SignalR);
        report.AppendLine("## Echo round trips (closed loop)");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Medians over {rounds} interleaved rounds per profile (every server once per round; the order of the servers rotates from round to round). Ratios are taken within each round (a server in round k against {Reference}{(withSignalR ? " or " + SignalR : "")} in round k) and shown as the median of the per-round ratios with their range (lowest–highest). *rounds*: measurements that succeeded; *errors*: summed over rounds; *load*: lowest–highest 1-minute load average at the end of the server's measurements.");
        report.AppendLine();
        report.AppendLine(withSignalR
            ? $"| profile | server | rounds | msg/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | msg/s vs {Reference} | p99 vs {Reference} | CPU vs {Reference} | msg/s vs signalr | errors | load |"
            : $"| profile | server | rounds | msg/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | msg/s vs {Reference} | p99 vs {Reference} | CPU vs {Reference} | errors | load |");
        report.AppendLine(withSignalR
            ? "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
            : "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string profile in profileOrder)
        {
            foreach (string server in serverOrder)
            {
                EchoResult[] own = [.. results.Where(r => r.Profile == profile && r.Server == server)];
                if (own.Length == 0)
                {
                    continue;
                }

                double[] loads = [.. own.Select(static r => ParseLoad(r.LoadAverage)).Where(static l => !double.IsNaN(l))];
                string load = loads.Length == 0 ? "?" : Range(loads.Min(), loads.Max(), "F2");
                var row = new StringBuilder();
                row.Append(CultureInfo.InvariantCulture,
                    $"| {profile} | {server} | {own.Length} | {Median(own.Select(static r => r.MessagesPerSecond)):F0} | {Median(own.Select(static r => r.P50Micros)):F0} | {Median(own.Select(static r => r.P99Micros)):F0} | {Median(own.Select(static r => r.P999Micros)):F0} | {Median(own.Select(static r => r.ServerCpuMicrosPerMessage)):F1} | ");
                row.Append(CultureInfo.InvariantCulture,
                    $"{RoundRatio(results, own, Reference, static r => r.MessagesPerSecond)} | {RoundRatio(results, own, Reference, static r => r.P99Micros)} | {RoundRatio(results, own, Reference, static r => r.ServerCpuMicrosPerMessage)} | ");
                if (withSignalR)
                {
                    row.Append(RoundRatio(results, own, SignalR, static r => r.MessagesPerSecond)).Append(" | ");
                }

                row.Append(CultureInfo.InvariantCulture, $"{own.Sum(static r => r.Errors)} | {load} |");
                report.AppendLine(row.ToString());
            }
        }

        report.AppendLine();
        report.AppendLine("### Rounds");
        report.AppendLine();
        report.AppendLine("Every measurement behind the medians above, in the order it ran (*#*: its place in the round); the ratios are against the same round.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| profile | round | # | server | msg/s | p50 µs | p99 µs | p99.9 µs | server CPU µs/msg | msg/s vs {Reference} | p99 vs {Reference} | CPU vs {Reference} | msg/s vs signalr | errors | load |");
        report.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (EchoResult r in results)
        {
            EchoResult? raw = SameRound(results, r, Reference);
            EchoResult? signalR = SameRound(results, r, SignalR);
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Profile} | {r.Round} | {r.Position} | {r.Server} | {r.MessagesPerSecond:F0} | {r.P50Micros:F0} | {r.P99Micros:F0} | {r.P999Micros:F0} | {r.ServerCpuMicrosPerMessage:F1} | {Ratio(r.MessagesPerSecond, raw?.MessagesPerSecond)} | {Ratio(r.P99Micros, raw?.P99Micros)} | {Ratio(r.ServerCpuMicrosPerMessage, raw?.ServerCpuMicrosPerMessage)} | {Ratio(r.MessagesPerSecond, signalR?.MessagesPerSecond)} | {r.Errors} | {r.LoadAverage} |");
        }

        report.AppendLine();
        report.AppendLine("Load average per round (1 minute):");
        report.AppendLine();
        report.AppendLine("| profile | round | order | load at start | load at end |");
        report.AppendLine("|---|---:|---|---:|---:|");
        foreach (RoundLoad r in roundLoads)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"| {r.Profile} | {r.Round} | {r.Order} | {r.LoadAtStart} | {r.LoadAtEnd} |");
        }
    }

    /// <summary>
    /// annotated against annotated-before (<c>--baseline-artifacts</c>): the same server from two builds, each ratio
    /// taken within a round like the ratios vs raw.
    /// </summary>
    public static void WriteBaseline(StringBuilder report, IReadOnlyList<EchoResult> results, IReadOnlyList<string> profileOrder)
    {
        const string After = "annotated";
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"## {After} vs {ServerKind.Baseline}");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"The same endpoint from this build and from the baseline build; ratios {After} / {ServerKind.Baseline} taken within each round, median (lowest–highest). Below 1 is better for p99 and CPU, above 1 for msg/s.");
        report.AppendLine();
        report.AppendLine("| profile | rounds | msg/s | p99 | server CPU µs/msg |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        foreach (string profile in profileOrder)
        {
            EchoResult[] own = [.. results.Where(r => r.Profile == profile && r.Server == After)];
            int paired = own.Count(r => SameRound(results, r, ServerKind.Baseline) is not null);
            if (paired == 0)
            {
                continue;
            }

            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {profile} | {paired} | {RoundRatio(results, own, ServerKind.Baseline, static r => r.MessagesPerSecond)} | {RoundRatio(results, own, ServerKind.Baseline, static r => r.P99Micros)} | {RoundRatio(results, own, ServerKind.Baseline, static r => r.ServerCpuMicrosPerMessage)} |");
        }
    }

    /// <summary>The median of <paramref name="values"/> (NaN left out; the mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Where(static v => !double.IsNaN(v)).Order()];
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Ratio(double value, double? baseline) =>
        baseline is double b && b > 0 && !double.IsNaN(value) ? (value / b).ToString("F2", CultureInfo.InvariantCulture) + "×" : "–";

    // Each of the server's rounds divided by the baseline's value in the same round; rounds where either side has
    // no value are left out. "1.04× (0.97–1.12)": median (lowest–highest).
    private static string RoundRatio(IReadOnlyList<EchoResult> results, EchoResult[] own, string baseline, Func<EchoResult, double> value)
    {
        var ratios = new List<double>();
        foreach (EchoResult r in own)
        {
            if (SameRound(results, r, baseline) is { } b && value(b) > 0 && !double.IsNaN(value(r)))
            {
                ratios.Add(value(r) / value(b));
            }
        }

        if (ratios.Count == 0)
        {
            return "–";
        }

        string median = Median(ratios).ToString("F2", CultureInfo.InvariantCulture) + "×";
        string low = ratios.Min().ToString("F2", CultureInfo.InvariantCulture);
        string high = ratios.Max().ToString("F2", CultureInfo.InvariantCulture);
        return low == high ? median : $"{median} ({low}–{high})";
    }

    private static EchoResult? SameRound(IReadOnlyList<EchoResult> results, EchoResult r, string server) =>
        results.FirstOrDefault(b => b.Profile == r.Profile && b.Round == r.Round && b.Server == server);

    private static string Range(double low, double high, string format)
    {
        string l = low.ToString(format, CultureInfo.InvariantCulture);
        string h = high.ToString(format, CultureInfo.InvariantCulture);
        return l == h ? l : $"{l}–{h}";
    }

    private static double ParseLoad(string load) =>
        double.TryParse(load, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : double.NaN;

    private static int IndexOf(IReadOnlyList<string> order, string server)
    {
        for (int i = 0; i < order.Count; i++)
        {
            if (order[i] == server)
            {
                return i;
            }
        }

        return order.Count;
    }
}
