using System.Globalization;

namespace Annotated.WebSockets.Soak;

/// <summary>The command line of the driver.</summary>
internal sealed record SoakOptions(TimeSpan Duration, int Clients, int Rooms, TimeSpan SampleEvery)
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    public const string Usage =
        "usage: dotnet run -c Release --project tests/Soak -- [--duration 00:10:00] [--clients 64] [--rooms 8] [--sample-every 00:00:30]\n"
        + "  --duration      how long traffic runs (at most 00:10:00, the default), warm-up included; the drain after it is bounded to about 1 minute\n"
        + "  --clients       concurrent client workers, each connecting, exchanging and disconnecting in a loop\n"
        + "  --rooms         broadcast rooms the clients spread over\n"
        + "  --sample-every  interval between rows of the table (default: a twelfth of the duration, 5 s to 60 s)";

    /// <summary>Parses the arguments; null (after printing why) when they are not valid.</summary>
    public static SoakOptions? Parse(string[] args)
    {
        var duration = MaxDuration;
        var clients = 64;
        var rooms = 8;
        TimeSpan? sampleEvery = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--duration": duration = TimeSpan.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--clients": clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--rooms": rooms = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--sample-every": sampleEvery = TimeSpan.Parse(Next(), CultureInfo.InvariantCulture); break;
                    default: throw new FormatException($"unknown argument {args[i]}");
                }
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return null;
        }

        if (duration < TimeSpan.FromSeconds(10) || duration > MaxDuration || clients < 1 || rooms < 1 || sampleEvery <= TimeSpan.Zero)
        {
            Console.Error.WriteLine("--duration must be from 00:00:10 to 00:10:00, --clients, --rooms and --sample-every positive");
            Console.Error.WriteLine(Usage);
            return null;
        }

        var every = sampleEvery ?? TimeSpan.FromTicks(Math.Clamp(duration.Ticks / 12, TimeSpan.FromSeconds(5).Ticks, TimeSpan.FromSeconds(60).Ticks));
        return new SoakOptions(duration, clients, rooms, every);
    }
}
