using System.Diagnostics;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>Round-trip times of one connection in Stopwatch ticks; merged and sorted once for percentiles.</summary>
internal sealed class LatencyHistogram
{
    private long[] _samples = new long[1024];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _samples.Length)
        {
            Array.Resize(ref _samples, _samples.Length * 2);
        }

        _samples[Count++] = ticks;
    }

    /// <summary>p50, p99 and p99.9 in microseconds over all the connections' samples.</summary>
    public static (double P50, double P99, double P999) Percentiles(IEnumerable<LatencyHistogram> histograms)
    {
        long[] all = histograms.SelectMany(static h => h._samples.Take(h.Count)).ToArray();
        if (all.Length == 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        Array.Sort(all);
        return (Micros(all, 0.50), Micros(all, 0.99), Micros(all, 0.999));
    }

    private static double Micros(long[] sorted, double quantile)
    {
        int index = Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1);
        return sorted[Math.Max(index, 0)] * 1_000_000.0 / Stopwatch.Frequency;
    }
}
