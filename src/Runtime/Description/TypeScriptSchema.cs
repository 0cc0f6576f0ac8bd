using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Annotated.WebSockets.Description;

/// <summary>
/// Turns the JSON Schemas <c>JsonSchemaExporter</c> writes into TypeScript types: what System.Text.Json reads and
/// writes, not what the C# looks like (a <c>DateTime</c> is a <c>string</c>, an enum a number unless a string
/// converter says otherwise, a nullable member <c>T | null</c>). Anything the subset below does not cover becomes
/// <c>unknown</c>, never <c>any</c>.
/// </summary>
internal static class TypeScriptSchema
{
    private const int MaxDepth = 32;

    /// <summary>The TypeScript type of <paramref name="schema"/>; references into the components become their names.</summary>
    public static string TypeOf(JsonNode? schema, DescribedApi api) => TypeOf(schema, api, 0);

    private static string TypeOf(JsonNode? schema, DescribedApi api, int depth)
    {
        if (depth > MaxDepth || schema is not JsonObject obj)
        {
            // `true`, `{}` or a schema too deep to follow: any JSON value.
            return "unknown";
        }

        if (obj["$ref"] is JsonValue reference && reference.TryGetValue<string>(out var pointer))
        {
            return Reference(pointer, api, depth);
        }

        if (obj["const"] is { } constant)
        {
            return Literal(constant);
        }

        if (obj["enum"] is JsonArray values)
        {
            var literals = new List<string>();
            foreach (var value in values)
            {
                literals.Add(value is null ? "null" : Literal(value));
            }

            return Union(literals);
        }

        foreach (var keyword in (string[])["anyOf", "oneOf"])
        {
            if (obj[keyword] is JsonArray alternatives)
            {
                var types = new List<string>();
                foreach (var alternative in alternatives)
                {
                    types.Add(TypeOf(alternative, api, depth + 1));
                }

                return Union(types);
            }
        }

        var typeNames = new List<string>();
        switch (obj["type"])
        {
            case JsonValue single when single.TryGetValue<string>(out var name):
                typeNames.Add(name);
                break;
            case JsonArray many:
                foreach (var item in many)
                {
                    if (item is JsonValue value && value.TryGetValue<string>(out var itemName))
                    {
                        typeNames.Add(itemName);
                    }
                }

                break;
            default:
                return obj.ContainsKey("properties") ? ObjectType(obj, api, depth) : "unknown";
        }

        var result = new List<string>();
        foreach (var typeName in typeNames)
        {
            result.Add(typeName switch
            {
                "string" => "string",
                "integer" or "number" => "number",
                "boolean" => "boolean",
                "null" => "null",
                "array" => $"Array<{TypeOf(obj["items"], api, depth + 1)}>",
                "object" => ObjectType(obj, api, depth),
                _ => "unknown",
            });
        }

        return Union(result);
    }

    private static string ObjectType(JsonObject obj, DescribedApi api, int depth)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (obj["required"] is JsonArray names)
        {
            foreach (var name in names)
            {
                if (name is JsonValue value && value.TryGetValue<string>(out var text))
                {
                    required.Add(text);
                }
            }
        }

        var members = new List<string>();
        if (obj["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                members.Add($"{PropertyName(name)}{(required.Contains(name) ? string.Empty : "?")}: {TypeOf(property, api, depth + 1)}");
            }
        }

        var additional = obj["additionalProperties"];
        var isDictionary = additional is JsonObject || (additional is JsonValue open && open.TryGetValue<bool>(out var allowed) && allowed);
        if (isDictionary && members.Count == 0)
        {
            return $"{{ [key: string]: {(additional is JsonObject ? TypeOf(additional, api, depth + 1) : "unknown")} }}";
        }

        return members.Count == 0 ? "{ [key: string]: unknown }" : "{ " + string.Join("; ", members) + " }";
    }

    private static string Reference(string pointer, DescribedApi api, int depth)
    {
        if (!pointer.StartsWith(DescribedApi.SchemaPointer, StringComparison.Ordinal))
        {
            return "unknown";
        }

        var path = pointer.Substring(DescribedApi.SchemaPointer.Length).Split('/');
        if (path.Length == 1)
        {
            return api.Schemas.ContainsKey(path[0]) ? path[0] : "unknown";
        }

        // A reference into a schema (#/components/schemas/Order/properties/lines/items): TypeScript has no name for
        // it, so the type is written out where it is used.
        JsonNode? target = api.Schemas.TryGetValue(path[0], out var root) ? root : null;
        for (var i = 1; i < path.Length && target is not null; i++)
        {
            var segment = path[i].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            target = target switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
        }

        return TypeOf(target, api, depth + 1);
    }

    private static string Union(List<string> types)
    {
        var distinct = new List<string>();
        foreach (var type in types)
        {
            if (!distinct.Contains(type))
            {
                distinct.Add(type);
            }
        }

        if (distinct.Contains("unknown"))
        {
            return "unknown";
        }

        return distinct.Count switch
        {
            0 => "never",
            1 => distinct[0],
            _ => string.Join(" | ", distinct),
        };
    }

    private static string Literal(JsonNode value) => value.ToJsonString();

    /// <summary>The name as written, or quoted when it is not an identifier.</summary>
    internal static string PropertyName(string name)
    {
        var isIdentifier = name.Length > 0 && !char.IsAsciiDigit(name[0]);
        foreach (var c in name)
        {
            isIdentifier &= char.IsAsciiLetterOrDigit(c) || c is '_' or '$';
        }

        return isIdentifier ? name : Quote(name);
    }

    /// <summary>A TypeScript string literal.</summary>
    internal static string Quote(string text) => "\"" + JsonEncodedText.Encode(text).Value + "\"";
}
