using Xunit.Abstractions;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// The bounded slice of the header fuzzer: random Sec-WebSocket-Extensions offers and responses, handshake
/// header sets and URI templates. The failure message carries the seed and the escaped inputs.
public sealed class HeaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Seeded_slice_of_hostile_header_values_never_throws_and_answers_deterministically()
    {
        var campaign = new FuzzCampaign();
        for (int i = 0; i < 8_000; i++)
        {
            campaign.RunHeaderCase(FuzzCampaign.CaseSeed(11, i));
            if (campaign.Failures.Count >= 5)
            {
                break;
            }
        }

        output.WriteLine($"{campaign.HeaderCases} header cases");
        Assert.True(campaign.Failures.Count == 0, string.Join(Environment.NewLine, campaign.Failures));
    }
}
