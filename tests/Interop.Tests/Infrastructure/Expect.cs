using System.Security.Cryptography;
using System.Text;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>Assertions on a peer's observations, with messages that say which step went wrong and how.</summary>
internal static class Expect
{
    /// <summary>The peer completed every step; otherwise fails with the peer's error and what it saw.</summary>
    public static void Completed(PeerResult result, int steps)
    {
        Assert.True(result.Ok && result.Error is null,
            $"The peer failed: {result.Error}\nObserved so far: {string.Join("; ", result.Steps)}");
        Assert.Equal(steps, result.Steps.Count);
    }

    public static void TextMessage(Observation observation, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(expected);
        Assert.Equal("text", observation.Type);
        if (observation.Data is not null && bytes.Length <= 4096)
        {
            Assert.Equal(expected, observation.Data);
        }

        Assert.Equal(bytes.Length, observation.Length);
        Assert.Equal(Sha256(bytes), observation.Sha256);
    }

    public static void BinaryMessage(Observation observation, byte[] expected)
    {
        Assert.Equal("binary", observation.Type);
        if (observation.Base64 is not null)
        {
            Assert.Equal(expected, Convert.FromBase64String(observation.Base64));
        }

        Assert.Equal(expected.Length, observation.Length);
        Assert.Equal(Sha256(expected), observation.Sha256);
    }

    public static void Pong(Observation observation, string expectedPayload)
    {
        Assert.Equal("pong", observation.Type);
        Assert.Equal(expectedPayload, Encoding.UTF8.GetString(Convert.FromBase64String(observation.Base64 ?? "")));
    }

    /// <summary>
    /// The peer's close frame carried <paramref name="expectedCode"/>. The reason is not compared: RFC 6455
    /// §5.5.1 has an endpoint echo the status code, and leaves the reason of its answer to it.
    /// </summary>
    public static void Close(Observation observation, int expectedCode)
    {
        Assert.Equal("close", observation.Type);
        Assert.Equal(expectedCode, observation.Code);
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
