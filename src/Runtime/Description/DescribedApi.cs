using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Annotated.WebSockets.Dispatch;
#if NET9_0_OR_GREATER
using System.Text.Json.Schema;
#endif

namespace Annotated.WebSockets.Description;

/// <summary>
/// The server endpoints' descriptions resolved into what both writers need: one channel per endpoint, ordered by
/// path; its messages with unique names; the payload schemas, exported from each message's JSON contract with
/// <c>JsonSchemaExporter</c> and stored once under a component name, their internal references rewritten to point
/// there. The AsyncAPI writer and the TypeScript writer read the same instance, so they cannot disagree.
/// </summary>
internal sealed class DescribedApi
{
    /// <summary>Where payload schemas live in the document, as a JSON pointer prefix.</summary>
    public const string SchemaPointer = "#/components/schemas/";

    private readonly Dictionary<Type, List<(string Name, string Json)>> _schemasByType = [];

    private DescribedApi()
    {
    }

    /// <summary>The channels, ordered by path (ordinal), then by endpoint type name.</summary>
    public List<DescribedChannel> Channels { get; } = [];

    /// <summary>The payload schemas by component name, ordered by name.</summary>
    public SortedDictionary<string, JsonNode> Schemas { get; } = new(StringComparer.Ordinal);

    /// <summary>Resolves the server endpoints among <paramref name="endpoints"/> that carry a description.</summary>
    public static DescribedApi Build(IEnumerable<AnnotatedEndpointDefinition> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = new DescribedApi();
        var described = new List<(AnnotatedEndpointDefinition Definition, EndpointDescription Description)>();
        foreach (var definition in endpoints)
        {
            if (!definition.IsClientEndpoint && definition.Path is not null && definition.Describe is { } describe)
            {
                described.Add((definition, describe()));
            }
        }

        described.Sort(static (left, right) =>
        {
            var byPath = string.CompareOrdinal(left.Definition.Path, right.Definition.Path);
            return byPath != 0 ? byPath : string.CompareOrdinal(left.Definition.EndpointType.FullName, right.Definition.EndpointType.FullName);
        });

        var channelIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (definition, description) in described)
        {
            var id = Identifier(definition.EndpointType.Name);
            if (!channelIds.Add(id))
            {
                id = Identifier(definition.EndpointType.FullName ?? definition.EndpointType.Name);
                for (var i = 2; !channelIds.Add(id); i++)
                {
                    id = Identifier(definition.EndpointType.Name) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            api.Channels.Add(api.Resolve(id, definition, description));
        }

        return api;
    }

    private DescribedChannel Resolve(string id, AnnotatedEndpointDefinition definition, EndpointDescription description)
    {
        var channel = new DescribedChannel(id, definition, description);
        foreach (var handler in description.Handlers)
        {
            var taken = new List<DescribedMessage>();
            foreach (var message in handler.Messages)
            {
                taken.Add(channel.Add(ResolveMessage(message)));
            }

            var replies = new List<DescribedMessage>();
            foreach (var reply in handler.Replies)
            {
                replies.Add(channel.Add(ResolveMessage(reply)));
            }

            channel.Operations.Add(new DescribedOperation(handler, taken, replies));
        }

        foreach (var sent in description.Sends)
        {
            channel.Sends.Add(channel.Add(ResolveMessage(sent)));
        }

        return channel;
    }

    private DescribedMessage ResolveMessage(MessageDescription message)
    {
        string contentType;
        JsonNode payload;
        string? schemaName = null;
        var unspecified = message.Unspecified;
        if (message.JsonContract is { } contract)
        {
            contentType = "application/json";
            var typeInfo = contract();
            if (Export(typeInfo) is { } schema)
            {
                schemaName = AddSchema(typeInfo.Type, schema);
                payload = new JsonObject { ["$ref"] = SchemaPointer + schemaName };
            }
            else
            {
                unspecified ??= "JSON schemas are exported by System.Text.Json's JsonSchemaExporter, which needs .NET 9 or later.";
                payload = new JsonObject();
            }
        }
        else
        {
            contentType = message.Kind == MessageKind.Text ? "text/plain" : "application/octet-stream";
            payload = message.Schema is { } fixedSchema
                ? JsonNode.Parse(fixedSchema) ?? new JsonObject()
                : message.Kind == MessageKind.Text
                    ? new JsonObject { ["type"] = "string" }
                    : new JsonObject { ["type"] = "string", ["format"] = "binary" };
        }

        return new DescribedMessage(message, contentType, payload, schemaName, unspecified);
    }

    private static JsonNode? Export(JsonTypeInfo typeInfo)
    {
#if NET9_0_OR_GREATER
        return JsonSchemaExporter.GetJsonSchemaAsNode(typeInfo);
#else
        _ = typeInfo;
        return null;
#endif
    }

    // One component per distinct (type, schema); a second contract of the same type that exports differently gets a
    // numbered name, so no message's payload is silently replaced by another's.
    private string AddSchema(Type type, JsonNode schema)
    {
        var json = schema.ToJsonString();
        if (!_schemasByType.TryGetValue(type, out var known))
        {
            known = [];
            _schemasByType[type] = known;
        }

        foreach (var (existingName, existingJson) in known)
        {
            if (existingJson == json)
            {
                return existingName;
            }
        }

        var name = SchemaName(type);
        for (var i = 2; Schemas.ContainsKey(name); i++)
        {
            name = SchemaName(type) + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        Schemas[name] = RewriteReferences(schema, SchemaPointer + name);
        known.Add((name, json));
        return name;
    }

    /// <summary>
    /// The exporter's references are relative to the schema's own root (<c>#</c>, <c>#/properties/next</c>); once the
    /// schema sits at <paramref name="root"/> they must start there.
    /// </summary>
    internal static JsonNode RewriteReferences(JsonNode schema, string root)
    {
        switch (schema)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToArray())
                {
                    if (key == "$ref" && value is JsonValue reference && reference.TryGetValue<string>(out var pointer) && pointer.StartsWith('#'))
                    {
                        obj[key] = root + pointer.Substring(1);
                    }
                    else if (value is not null)
                    {
                        RewriteReferences(value, root);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        RewriteReferences(item, root);
                    }
                }

                break;
        }

        return schema;
    }

    /// <summary><c>Order</c>, <c>List_Order</c>, <c>Dictionary_String_Int32</c>: a component name and TypeScript identifier.</summary>
    internal static string SchemaName(Type type)
    {
        if (type.IsArray && type.GetElementType() is { } element)
        {
            return SchemaName(element) + "Array";
        }

        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0)
        {
            name = name.Substring(0, tick);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return "Nullable_" + SchemaName(underlying);
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                name += "_" + SchemaName(argument);
            }
        }

        return Identifier(name);
    }

    /// <summary>Letters, digits and <c>_</c> only, not starting with a digit: valid as an AsyncAPI key and a TypeScript name.</summary>
    internal static string Identifier(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>Writes <paramref name="node"/> compactly, for comparisons.</summary>
    internal static string Compact(JsonNode node) => node.ToJsonString();
}

/// <summary>One server endpoint as an AsyncAPI channel.</summary>
internal sealed class DescribedChannel(string id, AnnotatedEndpointDefinition definition, EndpointDescription description)
{
    public string Id { get; } = id;

    public AnnotatedEndpointDefinition Definition { get; } = definition;

    public EndpointDescription Description { get; } = description;

    public string Path => Definition.Path!;

    /// <summary>Every message of the channel under its unique key, in the order first used.</summary>
    public List<DescribedMessage> Messages { get; } = [];

    public List<DescribedOperation> Operations { get; } = [];

    public List<DescribedMessage> Sends { get; } = [];

    /// <summary>
    /// Adds <paramref name="message"/>, or returns the equal one already there: the same text taken and sent is one
    /// message of the channel, used by both operations. Different messages with one name are numbered.
    /// </summary>
    public DescribedMessage Add(DescribedMessage message)
    {
        foreach (var existing in Messages)
        {
            if (existing.SameAs(message))
            {
                return existing;
            }
        }

        var key = DescribedApi.Identifier(message.Source.Name);
        var unique = key;
        for (var i = 2; Messages.Exists(existing => existing.Key == unique); i++)
        {
            unique = key + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        message.Key = unique;
        Messages.Add(message);
        return message;
    }
}

/// <summary>A message handler: a <c>receive</c> operation with its reply.</summary>
internal sealed record DescribedOperation(HandlerDescription Handler, List<DescribedMessage> Messages, List<DescribedMessage> Replies);

/// <summary>One message of a channel, with its payload schema resolved.</summary>
internal sealed class DescribedMessage(MessageDescription source, string contentType, JsonNode payload, string? schemaName, string? unspecified)
{
    public MessageDescription Source { get; } = source;

    public string ContentType { get; } = contentType;

    /// <summary>The payload schema: a reference into the components for JSON, inline otherwise.</summary>
    public JsonNode Payload { get; } = payload;

    /// <summary>The component name of a JSON payload's schema, or null.</summary>
    public string? SchemaName { get; } = schemaName;

    public string? Unspecified { get; } = unspecified;

    public string Key { get; set; } = string.Empty;

    public bool IsJson => ContentType == "application/json";

    public bool SameAs(DescribedMessage other) =>
        Source.Kind == other.Source.Kind && ContentType == other.ContentType && Source.TypeName == other.Source.TypeName
        && Unspecified == other.Unspecified
        && DescribedApi.Compact(Payload) == DescribedApi.Compact(other.Payload);
}
