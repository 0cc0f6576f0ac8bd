using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>The parameters of a permessage-deflate offer; null leaves a parameter out of the offer.</summary>
internal sealed record DeflateOffer
{
    [JsonPropertyName("serverNoContextTakeover")]
    public bool ServerNoContextTakeover { get; init; }

    [JsonPropertyName("clientNoContextTakeover")]
    public bool ClientNoContextTakeover { get; init; }

    [JsonPropertyName("serverMaxWindowBits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ServerMaxWindowBits { get; init; }

    [JsonPropertyName("clientMaxWindowBits"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ClientMaxWindowBits { get; init; }
}
