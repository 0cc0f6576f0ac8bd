using System.Text.Json.Serialization;

namespace Annotated.WebSockets.Interop.Tests.Infrastructure;

/// <summary>One step of a <see cref="Plan"/>; build it with the factory methods.</summary>
internal sealed record PlanStep
{
    [JsonPropertyName("op")]
    public required string Op { get; init; }

    [JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Data { get; init; }

    [JsonPropertyName("base64"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Base64 { get; init; }

    [JsonPropertyName("kind"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Kind { get; init; }

    /// <summary>For "fragments": "utf8" (parts are strings) or "base64" (parts are bytes, even for text).</summary>
    [JsonPropertyName("encoding"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Encoding { get; init; }

    [JsonPropertyName("parts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Parts { get; init; }

    [JsonPropertyName("unit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Unit { get; init; }

    [JsonPropertyName("count"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Count { get; init; }

    [JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Code { get; init; }

    [JsonPropertyName("reason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }

    public static PlanStep Text(string data) => new() { Op = "text", Data = data };

    public static PlanStep Binary(byte[] data) => new() { Op = "binary", Base64 = Convert.ToBase64String(data) };

    public static PlanStep TextFragments(params string[] parts) => new() { Op = "fragments", Kind = "text", Parts = parts };

    /// <summary>A text message whose frames are cut at byte offsets (possibly inside a UTF-8 sequence).</summary>
    public static PlanStep TextFragmentsOfBytes(params byte[][] parts) =>
        new() { Op = "fragments", Kind = "text", Encoding = "base64", Parts = parts.Select(Convert.ToBase64String).ToArray() };

    public static PlanStep BinaryFragments(params byte[][] parts) =>
        new() { Op = "fragments", Kind = "binary", Parts = parts.Select(Convert.ToBase64String).ToArray() };

    public static PlanStep RepeatedText(string unit, int count) => new() { Op = "repeat", Kind = "text", Unit = unit, Count = count };

    public static PlanStep RepeatedBinary(byte[] unit, int count) =>
        new() { Op = "repeat", Kind = "binary", Unit = Convert.ToBase64String(unit), Count = count };

    public static PlanStep Ping(string data) => new() { Op = "ping", Data = data };

    public static PlanStep Close(int code, string reason) => new() { Op = "close", Code = code, Reason = reason };
}
