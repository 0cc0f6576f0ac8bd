using Annotated.WebSockets.Protocol;
using Xunit.Abstractions;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// The bounded slice of the frame fuzzer that runs with every test command (the long campaign is tests/Fuzz).
/// A failure message carries the case seed and the input hex: FrameStreamGenerator.Generate(seed) replays it.
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    private const int SliceSize = 12_000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Seeded_slice_of_hostile_frame_streams_ends_in_a_valid_close_without_crash_hang_or_runaway_allocation(int baseSeed)
    {
        var campaign = new FuzzCampaign();
        for (int i = 0; i < SliceSize / 3; i++)
        {
            campaign.RunFrameCase(FuzzCampaign.CaseSeed(baseSeed, i));
            if (campaign.Failures.Count >= 5)
            {
                break;
            }
        }

        output.WriteLine($"{campaign.FrameCases} cases, close codes: {campaign.Histogram()}; DisposeAsync threw (known bug) in {campaign.DisposeFailures}: {campaign.FirstDisposeFailure}");
        Assert.True(campaign.Failures.Count == 0, string.Join(Environment.NewLine, campaign.Failures));
        // The slice must reach the interesting outcomes, or the generator has rotted into testing nothing.
        foreach (ushort code in new ushort[] { 1000, 1002, 1005, 1006, 1007, 1009 })
        {
            Assert.True(campaign.CloseCodes.GetValueOrDefault(code) > 0, $"no case ended with {code}: {campaign.Histogram()}");
        }
    }

    [Fact]
    public void Generator_is_deterministic_per_seed_and_produces_oracle_cases()
    {
        int withOracle = 0;
        for (int seed = 0; seed < 500; seed++)
        {
            FuzzCase a = FrameStreamGenerator.Generate(seed);
            FuzzCase b = FrameStreamGenerator.Generate(seed);
            Assert.Equal(a.Input, b.Input);
            Assert.Equal(a.ExpectedCloseCode, b.ExpectedCloseCode);
            withOracle += a.ExpectedCloseCode is null ? 0 : 1;
        }

        Assert.InRange(withOracle, 50, 450);
    }

    [Theory]
    [InlineData(false, "82FF800000000000000001020304", 1002)]  // 64-bit length with the MSB set.
    [InlineData(false, "82FF7FFFFFFFFFFFFFFF01020304", 1009)] // 2^63-1 declared: refused on the header.
    [InlineData(false, "888001020304", 1005)]          // Masked empty close.
    [InlineData(false, "88810000000000", 1002)]       // 1-byte close payload.
    [InlineData(false, "8200", 1002)]                  // Unmasked frame to a server.
    [InlineData(true, "8A8000000000", 1002)]          // Masked frame to a client.
    [InlineData(true, "0900", 1002)]                  // Fragmented ping.
    [InlineData(true, "8002AAAA", 1002)]              // Continuation with nothing to continue.
    [InlineData(true, "8102C328", 1007)]              // Invalid UTF-8 text.
    [InlineData(true, "C20100", 1002)]                // RSV1 without deflate.
    [InlineData(true, "8303010203", 1002)]            // Reserved opcode 3.
    [InlineData(true, "81", 1006)]                    // Truncated header.
    [InlineData(true, "880203ED", 1002)]              // Close code 1005 on the wire.
    [InlineData(true, "880403E8C328", 1007)]          // Close reason not UTF-8.
    public void Known_hostile_inputs_end_with_the_documented_close_code(bool client, string hex, int expected)
    {
        var fuzzCase = new FuzzCase(0, client ? WebSocketRole.Client : WebSocketRole.Server, Deflate: false, Partial: false, Convert.FromHexString(hex), (ushort)expected, "known");
        string? failure = EngineHarness.Run(fuzzCase, out ushort code);
        Assert.True(failure is null, failure + " " + fuzzCase);
        Assert.Equal(expected, code);
    }
}
