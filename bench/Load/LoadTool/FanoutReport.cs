using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>The fan-out report: medians over the rounds, ratios taken within each round (median and range), every measurement.</summary>
internal static class FanoutReport
{
    public static void Write(StringBuilder report, IReadOnlyList<FanoutResult> results, IReadOnlyList<string> servers)
    {
        var throughput = results.Where(static r => r.Scenario.StartsWith("throughput", StringComparison.Ordinal)).ToList();
        if (throughput.Count > 0)
        {
            report.AppendLine("## Throughput (window of messages in flight): medians over the rounds");
            report.AppendLine();
            report.AppendLine("| members | server | delivered msg/s | server CPU µs / delivered | client CPU µs / delivered | messages per member read | messages per server send | rounds |");
            report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            AppendCells(report, throughput, servers, static (members, server, rows) => string.Create(CultureInfo.InvariantCulture,
                $"| {members:N0} | {server} | {Median(rows.Select(static r => r.DeliveredPerSecond)):N0} | {Median(rows.Select(static r => r.ServerCpuMicrosPerDelivered)):F2} | {Median(rows.Select(static r => r.ClientCpuMicrosPerDelivered)):F2} | {Median(rows.Select(static r => r.MessagesPerRead)):F1} | {Median(rows.Select(static r => r.MessagesPerServerSend)):F1} | {rows.Count} |"));

            report.AppendLine();
            report.AppendLine("Ratios, each taken within a round, median (lowest–highest). Targets (issue 16): group ≥ 3× loop and ≥ 1.5× signalr in delivered msg/s at 1,000 members; server CPU per delivered message ≤ 0.5× signalr's.");
            report.AppendLine();
            report.AppendLine("| members | group / loop msg/s | group / signalr msg/s | group / signalr server CPU | group / loop server CPU |");
            report.AppendLine("|---:|---:|---:|---:|---:|");
            foreach (var scenario in throughput.GroupBy(static r => r.Members).OrderBy(static g => g.Key))
            {
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {scenario.Key:N0} | {Ratio(scenario, "group", "loop", static r => r.DeliveredPerSecond)} | {Ratio(scenario, "group", "signalr", static r => r.DeliveredPerSecond)} | {Ratio(scenario, "group", "signalr", static r => r.ServerCpuMicrosPerDelivered)} | {Ratio(scenario, "group", "loop", static r => r.ServerCpuMicrosPerDelivered)} |");
            }

            report.AppendLine();
        }

        var latency = results.Where(static r => r.Scenario.StartsWith("latency", StringComparison.Ordinal)).ToList();
        if (latency.Count > 0)
        {
            report.AppendLine("## Delivery latency at a fixed offered rate, with and without a stalled member: medians over the rounds");
            report.AppendLine();
            report.AppendLine("| server | stalled member | fill s | p50 µs | p99 µs | p99.9 µs | delivered msg/s | undelivered | stalled member's server send queue | rounds |");
            report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---:|");
            foreach (string server in servers)
            {
                foreach (bool stalled in new[] { false, true })
                {
                    var rows = latency.Where(r => r.Server == server && r.Stalled == stalled).ToList();
                    if (rows.Count > 0)
                    {
                        report.AppendLine(CultureInfo.InvariantCulture,
                            $"| {server} | {(stalled ? "yes" : "no")} | {Median(rows.Select(static r => r.FillSeconds)):F1} | {Median(rows.Select(static r => r.P50Micros)):F0} | {Median(rows.Select(static r => r.P99Micros)):F0} | {Median(rows.Select(static r => r.P999Micros)):F0} | {Median(rows.Select(static r => r.DeliveredPerSecond)):N0} | {Median(rows.Select(static r => (double)r.Undelivered)):N0} | {string.Join("; ", rows.Select(static r => r.StalledSendQueue).Where(static q => q is not null))} | {rows.Count} |");
                    }
                }
            }

            report.AppendLine();
            report.AppendLine("p99 with the stalled member / p99 without it, within a round (target for the group: ≤ 1.2×):");
            report.AppendLine();
            report.AppendLine("| server | p99 ratio | p50 ratio |");
            report.AppendLine("|---|---:|---:|");
            foreach (string server in servers)
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"| {server} | {StalledRatio(latency, server, static r => r.P99Micros)} | {StalledRatio(latency, server, static r => r.P50Micros)} |");
            }

            report.AppendLine();
        }

        report.AppendLine("## Every measurement");
        report.AppendLine();
        report.AppendLine("| scenario | round | place | server | stalled | delivered msg/s | server µs/delivered | client µs/delivered | per read | per server send | fill s | p50 µs | p99 µs | undelivered | closes | stalled queue | load |");
        report.AppendLine("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (FanoutResult r in results)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Round} | {r.Position} | {r.Server} | {(r.Stalled ? "yes" : "")} | {r.DeliveredPerSecond:N0} | {r.ServerCpuMicrosPerDelivered:F2} | {r.ClientCpuMicrosPerDelivered:F2} | {r.MessagesPerRead:F1} | {r.MessagesPerServerSend:F1} | {r.FillSeconds:F1} | {r.P50Micros:F0} | {r.P99Micros:F0} | {r.Undelivered} | {r.Closes} | {r.StalledSendQueue} | {r.LoadAverage} |");
        }
    }

    /// <summary>The scale-out report (<c>--nodes N --redis</c>): per room size, throughput and latency of each server's nodes, ratios within a round.</summary>
    public static void WriteScaleOut(StringBuilder report, IReadOnlyList<FanoutResult> results, IReadOnlyList<string> servers, int nodes)
    {
        var throughput = results.Where(static r => r.Scenario.StartsWith("throughput", StringComparison.Ordinal)).ToList();
        if (throughput.Count > 0)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"## Scale-out throughput ({nodes} nodes on one Redis, window of messages in flight): medians over the rounds");
            report.AppendLine();
            report.AppendLine("| members | server | delivered msg/s | server CPU µs / delivered (all nodes) | Redis CPU ms / 100,000 delivered | publishes / message | client CPU µs / delivered | rounds |");
            report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|");
            AppendCells(report, throughput, servers, static (members, server, rows) => string.Create(CultureInfo.InvariantCulture,
                $"| {members:N0} | {server} | {Median(rows.Select(static r => r.DeliveredPerSecond)):N0} | {Median(rows.Select(static r => r.ServerCpuMicrosPerDelivered)):F2} | {Median(rows.Select(static r => r.RedisCpuMillisPer100k)):F1} | {Median(rows.Select(static r => r.PublishesPerMessage)):F2} | {Median(rows.Select(static r => r.ClientCpuMicrosPerDelivered)):F2} | {rows.Count} |"));

            report.AppendLine();
        }

        var latency = results.Where(static r => r.Scenario.StartsWith("latency", StringComparison.Ordinal)).ToList();
        if (latency.Count > 0)
        {
            report.AppendLine("## Scale-out delivery latency at a fixed offered rate: medians over the rounds");
            report.AppendLine();
            report.AppendLine("| members | server | p50 µs | p99 µs | p99.9 µs | same-node p50 µs | same-node p99 µs | other-node p50 µs | other-node p99 µs | Redis PING µs | same-node p50 / PING | delivered msg/s | server CPU µs / delivered | Redis CPU ms / 100,000 | undelivered | rounds |");
            report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            AppendCells(report, latency, servers, static (members, server, rows) => string.Create(CultureInfo.InvariantCulture,
                $"| {members:N0} | {server} | {Median(rows.Select(static r => r.P50Micros)):F0} | {Median(rows.Select(static r => r.P99Micros)):F0} | {Median(rows.Select(static r => r.P999Micros)):F0} | {Median(rows.Select(static r => r.SameNodeP50Micros)):F0} | {Median(rows.Select(static r => r.SameNodeP99Micros)):F0} | {Median(rows.Select(static r => r.OtherNodeP50Micros)):F0} | {Median(rows.Select(static r => r.OtherNodeP99Micros)):F0} | {Median(rows.Select(static r => r.RedisPingMicros)):F0} | {Format([.. rows.Select(static r => r.SameNodeP50Micros / r.RedisPingMicros)])} | {Median(rows.Select(static r => r.DeliveredPerSecond)):N0} | {Median(rows.Select(static r => r.ServerCpuMicrosPerDelivered)):F2} | {Median(rows.Select(static r => r.RedisCpuMillisPer100k)):F1} | {Median(rows.Select(static r => (double)r.Undelivered)):N0} | {rows.Count} |"));

            report.AppendLine();
        }

        report.AppendLine("Ratios group / signalr, each taken within a round: median (lowest–highest). Targets (issue 17): p99 ≤ 1×, server CPU per delivered message ≤ 0.5×.");
        report.AppendLine();
        report.AppendLine("| members | delivered msg/s | server CPU / delivered (throughput) | Redis CPU / delivered (throughput) | p50 | p99 | server CPU / delivered (latency) | group same-node p50 / group-local p50 |");
        report.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int members in results.Select(static r => r.Members).Distinct().Order())
        {
            var t = throughput.Where(r => r.Members == members).ToList();
            var l = latency.Where(r => r.Members == members).ToList();
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {members:N0} | {Ratio(t, "group", "signalr", static r => r.DeliveredPerSecond)} | {Ratio(t, "group", "signalr", static r => r.ServerCpuMicrosPerDelivered)} | {Ratio(t, "group", "signalr", static r => r.RedisCpuMillisPer100k)} | {Ratio(l, "group", "signalr", static r => r.P50Micros)} | {Ratio(l, "group", "signalr", static r => r.P99Micros)} | {Ratio(l, "group", "signalr", static r => r.ServerCpuMicrosPerDelivered)} | {SameNodeRatio(l)} |");
        }

        report.AppendLine();
        report.AppendLine("## Every measurement");
        report.AppendLine();
        report.AppendLine("| scenario | round | place | server | delivered msg/s | server µs/delivered | Redis ms/100k | publishes/msg | p50 µs | p99 µs | same-node p50 µs | other-node p50 µs | Redis PING µs | undelivered | closes | load |");
        report.AppendLine("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (FanoutResult r in results)
        {
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Round} | {r.Position} | {r.Server} | {r.DeliveredPerSecond:N0} | {r.ServerCpuMicrosPerDelivered:F2} | {r.RedisCpuMillisPer100k:F1} | {r.PublishesPerMessage:F2} | {r.P50Micros:F0} | {r.P99Micros:F0} | {r.SameNodeP50Micros:F0} | {r.OtherNodeP50Micros:F0} | {r.RedisPingMicros:F0} | {r.Undelivered} | {r.Closes} | {r.LoadAverage} |");
        }
    }

    // One table row per room size and server that has results, made by `row` from that cell's measurements.
    private static void AppendCells(StringBuilder report, IEnumerable<FanoutResult> results, IReadOnlyList<string> servers, Func<int, string, List<FanoutResult>, string> row)
    {
        foreach (var scenario in results.GroupBy(static r => r.Members).OrderBy(static g => g.Key))
        {
            foreach (string server in servers)
            {
                var rows = scenario.Where(r => r.Server == server).ToList();
                if (rows.Count > 0)
                {
                    report.AppendLine(row(scenario.Key, server, rows));
                }
            }
        }
    }

    // The group's same-node p50 over the one-node group's p50 (no Redis at all), within a round.
    private static string SameNodeRatio(IEnumerable<FanoutResult> latency)
    {
        var ratios = latency.GroupBy(static r => r.Round)
            .Select(static round => (Top: round.FirstOrDefault(static r => r.Server == "group"), Bottom: round.FirstOrDefault(static r => r.Server == "group-local")))
            .Where(static p => p.Top is not null && p.Bottom is not null)
            .Select(static p => p.Top!.SameNodeP50Micros / p.Bottom!.P50Micros)
            .ToList();
        return Format(ratios);
    }

    private static string Ratio(IEnumerable<FanoutResult> scenario, string numerator, string denominator, Func<FanoutResult, double> value)
    {
        var ratios = scenario.GroupBy(static r => r.Round)
            .Select(round => (Top: round.FirstOrDefault(r => r.Server == numerator), Bottom: round.FirstOrDefault(r => r.Server == denominator)))
            .Where(static p => p.Top is not null && p.Bottom is not null)
            .Select(p => value(p.Top!) / value(p.Bottom!))
            .ToList();
        return Format(ratios);
    }

    private static string StalledRatio(IEnumerable<FanoutResult> latency, string server, Func<FanoutResult, double> value)
    {
        var ratios = latency.Where(r => r.Server == server).GroupBy(static r => r.Round)
            .Select(round => (With: round.FirstOrDefault(static r => r.Stalled), Without: round.FirstOrDefault(static r => !r.Stalled)))
            .Where(static p => p.With is not null && p.Without is not null)
            .Select(p => value(p.With!) / value(p.Without!))
            .ToList();
        return Format(ratios);
    }

    private static string Format(List<double> ratios) =>
        ratios.Count == 0 || ratios.Any(double.IsNaN) && ratios.All(double.IsNaN) ? "–"
        : ratios.Count == 1 ? $"{ratios[0]:F2}×"
        : string.Create(CultureInfo.InvariantCulture, $"{Median(ratios):F2}× ({ratios.Min():F2}–{ratios.Max():F2})");

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
