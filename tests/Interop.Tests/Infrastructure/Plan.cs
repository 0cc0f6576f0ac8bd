using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>
/// What a client peer does: connect to <see cref="Url"/> and run the steps in order, each waiting for its
/// answer. The format is shared by peers/ws-client.mjs and peers/websockets_client.py (see peers/plan.mjs).
/// </summary>
internal sealed record Plan(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("steps")] IReadOnlyList<PlanStep> Steps)
{
    [JsonPropertyName("protocols")]
    public IReadOnlyList<string>? Protocols { get; init; }

    /// <summary>Offer permessage-deflate with the peer library's default parameters.</summary>
    [JsonPropertyName("deflate")]
    public bool Deflate { get; init; }

    /// <summary>Offer permessage-deflate with these parameters instead (RFC 7692 §7.1).</summary>
    [JsonPropertyName("deflateOffer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeflateOffer? DeflateOffer { get; init; }

    /// <summary>How long the peer waits for each answer.</summary>
    [JsonPropertyName("timeoutMs")]
    public int TimeoutMs { get; init; } = 10_000;
}
