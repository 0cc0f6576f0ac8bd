namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// What a server endpoint's description says beyond its registration: the types of its path parameters, each message
/// handler's messages and replies, and the messages it declares it sends. The emitter writes it as a runtime
/// <c>EndpointDescription</c>, from which the AsyncAPI document and the TypeScript client are written.
/// </summary>
/// <param name="PathParameters">The path template's variables, in order of appearance.</param>
/// <param name="Handlers">The text and binary message handlers, text first.</param>
/// <param name="Sends">The <c>[SendsMessage]</c> declarations, in declaration order.</param>
internal sealed record DescriptionModel(
    EquatableArray<PathParameterDescriptionModel> PathParameters,
    EquatableArray<HandlerDescriptionModel> Handlers,
    EquatableArray<MessageDescriptionModel> Sends);

/// <summary>One path template variable and the type its <c>[PathParam]</c> parameters take.</summary>
/// <param name="Name">The variable.</param>
/// <param name="TypeName">The C# type, as shown to people (<c>int</c>, <c>System.Guid</c>).</param>
/// <param name="JsonType">The JSON Schema type: <c>string</c>, <c>integer</c>, <c>number</c> or <c>boolean</c>.</param>
/// <param name="Format">The JSON Schema format, or null.</param>
internal sealed record PathParameterDescriptionModel(string Name, string TypeName, string JsonType, string? Format);

/// <summary>One <c>[OnMessage]</c> method for text or binary messages.</summary>
/// <param name="MethodName">The method.</param>
/// <param name="IsText">Whether it takes text messages.</param>
/// <param name="Messages">The messages it takes.</param>
/// <param name="Replies">What its return value is sent as.</param>
internal sealed record HandlerDescriptionModel(
    string MethodName,
    bool IsText,
    EquatableArray<MessageDescriptionModel> Messages,
    EquatableArray<MessageDescriptionModel> Replies);

/// <summary>One message kind on the wire.</summary>
/// <param name="Name">Its name in the description: <c>text</c>, <c>binary</c> or the C# type's name.</param>
/// <param name="IsText">Text or binary.</param>
/// <param name="TypeName">The C# type as shown to people, or null for plain text and bytes.</param>
/// <param name="JsonContract">A C# expression giving the payload's <c>JsonTypeInfo</c>, or null.</param>
/// <param name="Schema">The JSON Schema of a payload that is not JSON, as JSON text, or null for the default.</param>
/// <param name="Unspecified">Why the payload cannot be described, or null.</param>
/// <param name="MaxMessageSize">The taking handler's size limit, or -1.</param>
internal sealed record MessageDescriptionModel(
    string Name,
    bool IsText,
    string? TypeName = null,
    string? JsonContract = null,
    string? Schema = null,
    string? Unspecified = null,
    long MaxMessageSize = -1);
