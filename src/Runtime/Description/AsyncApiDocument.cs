using System.Text.Json;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Description;

/// <summary>
/// Writes the AsyncAPI 3.0.0 document of server endpoints, from the descriptions the source generator registered:
/// one channel per <see cref="ServerEndpointAttribute"/> (its address the path template, a parameter per template
/// variable), a <c>receive</c> operation per <see cref="OnMessageAttribute"/> method with a <c>reply</c> when it returns
/// a value, a <c>send</c> operation per <see cref="SendsMessageAttribute"/>, and the payload schemas of JSON messages,
/// exported from their System.Text.Json contracts. No reflection: the output is byte-identical for the same endpoints.
/// docs/DESCRIPTION.md lists the mapping and the <c>x-</c> extensions it uses.
/// </summary>
public static class AsyncApiDocument
{
    /// <summary>The AsyncAPI version written.</summary>
    public const string SpecVersion = "3.0.0";

    /// <summary>The version of the WebSockets channel binding written.</summary>
    public const string WebSocketsBindingVersion = "0.1.0";

    /// <summary>Writes the document of every registered server endpoint (<see cref="AnnotatedEndpointRegistry"/>).</summary>
    /// <param name="options">The title, version and servers; null for the defaults.</param>
    /// <returns>The document as indented UTF-8 JSON, ending with a line feed.</returns>
    public static byte[] Write(AsyncApiDocumentOptions? options = null) => Write(AnnotatedEndpointRegistry.Endpoints, options);

    /// <summary>Writes the document of the server endpoints among <paramref name="endpoints"/>.</summary>
    /// <param name="endpoints">The endpoints; client endpoints and those without a description are left out.</param>
    /// <param name="options">The title, version and servers; null for the defaults.</param>
    /// <returns>The document as indented UTF-8 JSON, ending with a line feed.</returns>
    public static byte[] Write(IEnumerable<AnnotatedEndpointDefinition> endpoints, AsyncApiDocumentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return Write(DescribedApi.Build(endpoints), options ?? new AsyncApiDocumentOptions());
    }

    internal static byte[] Write(DescribedApi api, AsyncApiDocumentOptions options)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps the text readable ('<', '+', quotes in descriptions); it is served as JSON, never inlined in HTML.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteDocument(writer, api, options);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteDocument(Utf8JsonWriter writer, DescribedApi api, AsyncApiDocumentOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("asyncapi", SpecVersion);
        writer.WriteStartObject("info");
        writer.WriteString("title", options.Title);
        writer.WriteString("version", options.Version);
        if (options.Description is { } description)
        {
            writer.WriteString("description", description);
        }

        writer.WriteEndObject();
        writer.WriteString("defaultContentType", "application/json");
        if (options.Servers.Count > 0)
        {
            writer.WriteStartObject("servers");
            foreach (var server in options.Servers)
            {
                writer.WriteStartObject(server.Name);
                writer.WriteString("host", server.Host);
                writer.WriteString("protocol", server.Protocol);
                if (!string.IsNullOrEmpty(server.Pathname) && server.Pathname != "/")
                {
                    writer.WriteString("pathname", server.Pathname);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("channels");
        foreach (var channel in api.Channels)
        {
            WriteChannel(writer, channel);
        }

        writer.WriteEndObject();
        writer.WriteStartObject("operations");
        foreach (var channel in api.Channels)
        {
            WriteOperations(writer, channel);
        }

        writer.WriteEndObject();
        if (api.Schemas.Count > 0)
        {
            writer.WriteStartObject("components");
            writer.WriteStartObject("schemas");
            foreach (var (name, schema) in api.Schemas)
            {
                writer.WritePropertyName(name);
                schema.WriteTo(writer);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteChannel(Utf8JsonWriter writer, DescribedChannel channel)
    {
        var definition = channel.Definition;
        writer.WriteStartObject(channel.Id);
        writer.WriteString("address", channel.Path);
        writer.WriteString("title", definition.EndpointType.Name);
        writer.WriteString("description", $"The WebSocket endpoint {definition.EndpointType.FullName}.");
        if (channel.Messages.Count > 0)
        {
            writer.WriteStartObject("messages");
            foreach (var message in channel.Messages)
            {
                WriteMessage(writer, message);
            }

            writer.WriteEndObject();
        }

        if (channel.Description.PathParameters.Count > 0)
        {
            writer.WriteStartObject("parameters");
            foreach (var parameter in channel.Description.PathParameters)
            {
                writer.WriteStartObject(parameter.Name);
                writer.WriteString("description", $"The path segment {{{parameter.Name}}}, taken as {parameter.TypeName}.");
                // AsyncAPI 3.0 parameters have no schema (spec issue 979): the type goes in an extension.
                if (parameter.JsonType != "string" || parameter.Format is not null)
                {
                    writer.WriteStartObject("x-schema");
                    writer.WriteString("type", parameter.JsonType);
                    if (parameter.Format is { } format)
                    {
                        writer.WriteString("format", format);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("bindings");
        writer.WriteStartObject("ws");
        writer.WriteString("method", "GET");
        if (definition.Subprotocols.Count > 0)
        {
            // The only request header a browser can set is the subprotocol list; the server picks the first of its own
            // order the client offers (x-subprotocols keeps that order).
            writer.WriteStartObject("headers");
            writer.WriteString("type", "object");
            writer.WriteStartObject("properties");
            writer.WriteStartObject("Sec-WebSocket-Protocol");
            writer.WriteString("type", "string");
            writer.WriteString("description", "The subprotocols the client offers, comma-separated; the server selects one of these.");
            writer.WriteStartArray("enum");
            foreach (var subprotocol in definition.Subprotocols)
            {
                writer.WriteStringValue(subprotocol);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteString("bindingVersion", WebSocketsBindingVersion);
        writer.WriteEndObject();
        writer.WriteEndObject();
        if (definition.Subprotocols.Count > 0)
        {
            writer.WriteStartArray("x-subprotocols");
            foreach (var subprotocol in definition.Subprotocols)
            {
                writer.WriteStringValue(subprotocol);
            }

            writer.WriteEndArray();
        }

        writer.WriteStartArray("x-closeCodes");
        foreach (var (code, reason) in CloseCodes(definition))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", code);
            writer.WriteString("reason", reason);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, DescribedMessage message)
    {
        writer.WriteStartObject(message.Key);
        writer.WriteString("name", message.Key);
        if (message.Source.TypeName is { } typeName)
        {
            writer.WriteString("title", typeName);
        }

        writer.WriteString("summary", Summary(message));
        writer.WriteString("contentType", message.ContentType);
        writer.WritePropertyName("payload");
        message.Payload.WriteTo(writer);
        if (message.Unspecified is { } unspecified)
        {
            writer.WriteString("x-unspecified", unspecified);
        }

        writer.WriteEndObject();
    }

    private static string Summary(DescribedMessage message) =>
        (message.Source.Kind == MessageKind.Text ? "A text message" : "A binary message")
        + (message.IsJson ? ": JSON" : string.Empty)
        + (message.Source.TypeName is { } type ? $" ({type})." : ".");

    private static void WriteOperations(Utf8JsonWriter writer, DescribedChannel channel)
    {
        foreach (var operation in channel.Operations)
        {
            writer.WriteStartObject($"{channel.Id}.{operation.Handler.MethodName}");
            writer.WriteString("action", "receive");
            WriteChannelReference(writer, channel);
            writer.WriteString("summary", $"{channel.Definition.EndpointType.Name}.{operation.Handler.MethodName} takes {(operation.Handler.Kind == MessageKind.Text ? "text" : "binary")} messages.");
            WriteMessageReferences(writer, channel, operation.Messages);
            if (MaxMessageSize(operation) is >= 0 and var limit)
            {
                // The handler's [OnMessage(MaxMessageSize)]: a larger message closes the connection with 1009.
                writer.WriteNumber("x-maxMessageSize", limit);
            }

            if (operation.Replies.Count > 0)
            {
                // Jakarta sends a handler's return value back on the same connection, with no correlation id.
                writer.WriteStartObject("reply");
                WriteChannelReference(writer, channel);
                WriteMessageReferences(writer, channel, operation.Replies);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        foreach (var sent in channel.Sends)
        {
            writer.WriteStartObject($"{channel.Id}.send.{sent.Key}");
            writer.WriteString("action", "send");
            WriteChannelReference(writer, channel);
            writer.WriteString("summary", $"{channel.Definition.EndpointType.Name} sends {sent.Key} messages on its own.");
            WriteMessageReferences(writer, channel, [sent]);
            writer.WriteEndObject();
        }
    }

    private static long MaxMessageSize(DescribedOperation operation)
    {
        var limit = -1L;
        foreach (var message in operation.Handler.Messages)
        {
            limit = Math.Max(limit, message.MaxMessageSize);
        }

        return limit;
    }

    private static void WriteChannelReference(Utf8JsonWriter writer, DescribedChannel channel)
    {
        writer.WriteStartObject("channel");
        writer.WriteString("$ref", $"#/channels/{channel.Id}");
        writer.WriteEndObject();
    }

    private static void WriteMessageReferences(Utf8JsonWriter writer, DescribedChannel channel, List<DescribedMessage> messages)
    {
        writer.WriteStartArray("messages");
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("$ref", $"#/channels/{channel.Id}/messages/{message.Key}");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>The codes the runtime may close a connection to this endpoint with, besides those of the application.</summary>
    internal static List<(int Code, string Reason)> CloseCodes(AnnotatedEndpointDefinition definition)
    {
        var codes = new List<(int, string)>
        {
            ((int)CloseCode.NormalClosure, "The endpoint or the client closed the session normally."),
            ((int)CloseCode.GoingAway, "The server is shutting down."),
            ((int)CloseCode.ProtocolError, "The client broke RFC 6455 (for example an unmasked frame)."),
        };
        if (definition.Text == MessageDelivery.None || definition.Binary == MessageDelivery.None)
        {
            codes.Add(((int)CloseCode.CannotAccept, definition.Text == MessageDelivery.None
                ? "The client sent a text message; the endpoint takes none."
                : "The client sent a binary message; the endpoint takes none."));
        }

        if (definition.Text != MessageDelivery.None)
        {
            codes.Add(((int)CloseCode.NotConsistent, "A text message was not valid UTF-8."));
        }

        codes.Add(((int)CloseCode.ViolatedPolicy, "The client did not read what the server sent within the send-queue timeout."));
        codes.Add(((int)CloseCode.TooBig, "A message exceeded its handler's size limit (x-maxMessageSize on the receive operation) or the server's."));
        codes.Add(((int)CloseCode.UnexpectedCondition, "The endpoint failed unexpectedly."));
        return codes;
    }
}
