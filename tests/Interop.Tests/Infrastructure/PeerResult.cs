using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>What a client peer printed: the handshake's outcome and one observation per plan step.</summary>
internal sealed record PeerResult
{
    [JsonPropertyName("ok")]
    public bool Ok { get; init; }

    /// <summary>The subprotocol the server selected, or null.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>The server's Sec-WebSocket-Extensions response header, or null.</summary>
    [JsonPropertyName("extensions")]
    public string? Extensions { get; init; }

    [JsonPropertyName("steps")]
    public IReadOnlyList<Observation> Steps { get; init; } = [];

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
