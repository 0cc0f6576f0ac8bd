using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// What the peer received for one step: a message (type "text"/"binary", with its length and SHA-256, and
/// the content when small), a pong (type "pong", payload in base64) or a close (type "close", code, reason).
/// </summary>
internal sealed record Observation
{
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    [JsonPropertyName("length")]
    public long Length { get; init; }

    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }

    [JsonPropertyName("data")]
    public string? Data { get; init; }

    [JsonPropertyName("base64")]
    public string? Base64 { get; init; }

    [JsonPropertyName("code")]
    public int? Code { get; init; }

    [JsonPropertyName("reason")]
    public string? Reason { get; init; }
}
