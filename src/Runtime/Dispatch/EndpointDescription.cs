namespace Annotated.WebSockets.Dispatch;

/// <summary>
/// What a client of a server endpoint needs to know beyond its <see cref="AnnotatedEndpointDefinition"/>: the types of
/// its path parameters, the messages each message handler takes and replies with, and the messages it declares it
/// sends (<see cref="SendsMessageAttribute"/>). The source generator writes one per server endpoint from what it knows
/// at compile time; <c>AsyncApiDocument</c> and <c>TypeScriptClient</c> turn them into an AsyncAPI 3.0 document and a
/// typed TypeScript client.
/// </summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public sealed class EndpointDescription
{
    /// <summary>The path template's variables, in order of appearance.</summary>
    public IReadOnlyList<PathParameterDescription> PathParameters { get; init; } = [];

    /// <summary>The text and binary message handlers (at most one of each), text first.</summary>
    public IReadOnlyList<HandlerDescription> Handlers { get; init; } = [];

    /// <summary>The messages the endpoint declares it sends on its own, in declaration order.</summary>
    public IReadOnlyList<MessageDescription> Sends { get; init; } = [];
}

/// <summary>One variable of a server endpoint's path template and the type its <c>[PathParam]</c> parameters convert it to.</summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public sealed class PathParameterDescription
{
    /// <summary>The template variable's name.</summary>
    public required string Name { get; init; }

    /// <summary>The C# type a handler takes it as (<c>string</c> when no handler binds it).</summary>
    public string TypeName { get; init; } = "string";

    /// <summary>The JSON Schema type of the value: <c>string</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</summary>
    public string JsonType { get; init; } = "string";

    /// <summary>The JSON Schema format (<c>int32</c>, <c>uuid</c>, …), or null.</summary>
    public string? Format { get; init; }
}

/// <summary>An <c>[OnMessage]</c> method: the messages it takes and what its return value sends back.</summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public sealed class HandlerDescription
{
    /// <summary>The method's name.</summary>
    public required string MethodName { get; init; }

    /// <summary>Whether the handler takes text or binary messages.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>The messages it takes: one, or one per decoder that can produce its parameter.</summary>
    public IReadOnlyList<MessageDescription> Messages { get; init; } = [];

    /// <summary>What its return value is sent as; empty when it returns nothing to send.</summary>
    public IReadOnlyList<MessageDescription> Replies { get; init; } = [];
}

/// <summary>
/// One kind of message on the wire: text or binary, and its payload. A JSON payload has a
/// <see cref="JsonContract"/>; a plain one a fixed <see cref="Schema"/>; one that cannot be described an
/// <see cref="Unspecified"/> reason.
/// </summary>
/// <remarks>Infrastructure for generated code; not meant to be used directly.</remarks>
public sealed class MessageDescription
{
    /// <summary>The message's name in the description: <c>text</c>, <c>binary</c>, or the C# type's name.</summary>
    public required string Name { get; init; }

    /// <summary>Text or binary.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>The C# type the message is read as or written from (<c>MyApp.Order</c>), or null for plain text and bytes.</summary>
    public string? TypeName { get; init; }

    /// <summary>The JSON contract of a JSON payload (from an <see cref="IJsonCoder"/> or a serializer context), or null.</summary>
    public Func<System.Text.Json.Serialization.Metadata.JsonTypeInfo>? JsonContract { get; init; }

    /// <summary>The JSON Schema of a payload that is not JSON (for example <c>{"type":"string"}</c>), or null.</summary>
    public string? Schema { get; init; }

    /// <summary>Why the payload cannot be described (it is then any text or bytes), or null.</summary>
    public string? Unspecified { get; init; }

    /// <summary>For a message taken, the handler's <see cref="OnMessageAttribute.MaxMessageSize"/>; otherwise -1.</summary>
    public long MaxMessageSize { get; init; } = -1;
}
