using System.Diagnostics;
using Annotated.WebSockets.Runtime.Tests.Fuzzing;

// dotnet run -c Release --project tests/Fuzz -- --inputs 2000000 --seed 1 [--minutes 10] [--replay SEED] [--headers-every 4]
// Runs seeded frame cases (and a header case every few inputs) until the input count or the time budget is spent,
// printing progress and the close-code histogram; on a failure prints the seed and input hex and exits 1.

long inputs = 2_000_000;
int seed = 1;
double minutes = 10;
int headersEvery = 4;
int? replay = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--inputs": inputs = long.Parse(Next()); break;
        case "--seed": seed = int.Parse(Next()); break;
        case "--minutes": minutes = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        case "--headers-every": headersEvery = Math.Max(1, int.Parse(Next())); break;
        case "--replay": replay = int.Parse(Next()); break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}; use --inputs N --seed S --minutes M --headers-every K --replay CASESEED");
            return 2;
    }
}

var campaign = new FuzzCampaign();
if (replay is { } caseSeed)
{
    string? frame = campaign.RunFrameCase(caseSeed);
    string? header = campaign.RunHeaderCase(caseSeed);
    Console.WriteLine(frame ?? $"frame case {caseSeed}: ok, close {campaign.Histogram()}");
    Console.WriteLine(header ?? $"header case {caseSeed}: ok");
    return frame is null && header is null ? 0 : 1;
}

Console.WriteLine($"fuzzing: up to {inputs} inputs, base seed {seed}, at most {minutes} minutes");
var clock = Stopwatch.StartNew();
TimeSpan budget = TimeSpan.FromMinutes(minutes);
TimeSpan nextReport = TimeSpan.FromSeconds(10);
long done = 0;
for (; done < inputs && clock.Elapsed < budget; done++)
{
    int inputSeed = FuzzCampaign.CaseSeed(seed, done);
    string? failure = done % headersEvery == 0 ? campaign.RunHeaderCase(inputSeed) : campaign.RunFrameCase(inputSeed);
    if (failure is not null)
    {
        Console.WriteLine(failure);
        Console.WriteLine($"replay: dotnet run -c Release --project tests/Fuzz -- --replay {inputSeed}");
        if (campaign.Failures.Count >= 10)
        {
            break;
        }
    }

    if (clock.Elapsed >= nextReport)
    {
        nextReport = clock.Elapsed + TimeSpan.FromSeconds(10);
        Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {done + 1} inputs ({(done + 1) / clock.Elapsed.TotalSeconds:F0}/s), {campaign.Failures.Count} failures");
    }
}

Console.WriteLine($"done: {done} inputs in {clock.Elapsed:mm\\:ss} ({campaign.FrameCases} frame streams, {campaign.HeaderCases} header sets)");
Console.WriteLine($"close codes: {campaign.Histogram()}");
if (campaign.DisposeFailures > 0)
{
    Console.WriteLine($"known bug (not counted as failure): DisposeAsync threw in {campaign.DisposeFailures} cases; first: {campaign.FirstDisposeFailure}");
}

Console.WriteLine(campaign.Failures.Count == 0 ? "no failures" : $"{campaign.Failures.Count} FAILURES");
return campaign.Failures.Count == 0 ? 0 : 1;
