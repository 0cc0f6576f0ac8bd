namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Runs a seeded range of frame and header cases and tallies outcomes; shared by the bounded xunit slice and
/// the long-running console fuzzer so both exercise exactly the same generators and checks.
internal sealed class FuzzCampaign
{
    public SortedDictionary<int, long> CloseCodes { get; } = [];

    public long FrameCases { get; private set; }

    public long HeaderCases { get; private set; }

    public List<string> Failures { get; } = [];

    /// Cases whose engine threw from DisposeAsync after its Close event (the known bug; see KnownEngineBugTests).
    public long DisposeFailures { get; private set; }

    /// The first such case, for the report.
    public string? FirstDisposeFailure { get; private set; }

    /// The seed of case number <paramref name="index"/> in a campaign started from <paramref name="baseSeed"/>.
    public static int CaseSeed(int baseSeed, long index) => unchecked((int)(baseSeed * 1_000_003L + index * 7_919L));

    /// Runs one frame case; returns the failure line (also recorded) or null.
    public string? RunFrameCase(int seed)
    {
        FuzzCase fuzzCase = FrameStreamGenerator.Generate(seed);
        string? failure = EngineHarness.Run(fuzzCase, out ushort code, out string? disposeError);
        FrameCases++;
        if (disposeError is not null)
        {
            DisposeFailures++;
            FirstDisposeFailure ??= $"{disposeError}; replay: seed={seed} close={code}";
        }

        CloseCodes[code] = CloseCodes.GetValueOrDefault(code) + 1;
        if (failure is not null)
        {
            failure = $"FRAME FAILURE: {failure}; replay: {fuzzCase}";
            Failures.Add(failure);
        }

        return failure;
    }

    /// Runs one header case; returns the failure line (also recorded) or null.
    public string? RunHeaderCase(int seed)
    {
        string? failure = HeaderFuzzer.Run(seed);
        HeaderCases++;
        if (failure is not null)
        {
            failure = $"HEADER FAILURE: {failure}";
            Failures.Add(failure);
        }

        return failure;
    }

    public string Histogram() => string.Join(", ", CloseCodes.Select(p => $"{p.Key}: {p.Value}"));
}
