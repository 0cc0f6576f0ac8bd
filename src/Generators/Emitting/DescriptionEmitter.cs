using System.Globalization;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// Writes the description of one server endpoint: a static class beside its dispatcher whose <c>Create()</c> builds the
/// runtime <c>EndpointDescription</c> the AsyncAPI document and the TypeScript client are written from. JSON payloads
/// are described by a lambda returning their <c>JsonTypeInfo</c> (from an <c>IJsonCoder</c> or a serializer context),
/// called only when a description is written: schemas are exported at run time from the very contract the coder uses.
/// </summary>
/// <example>
/// For
/// <code>
/// [ServerEndpoint("/orders/{shop}", Decoders = [typeof(OrderJson)], Encoders = [typeof(ReceiptJson)])]
/// [SendsMessage(typeof(string))]
/// public sealed class OrdersEndpoint
/// {
///     [OnMessage(MaxMessageSize = 4096)] public Receipt Place(Order order, [PathParam("shop")] int shop) => ...;
/// }
/// </code>
/// the emitter writes <c>MyApp.OrdersEndpoint.Description.g.cs</c>:
/// <code>
/// namespace MyApp.AnnotatedWebSocketsGenerated
/// {
///     /// &lt;summary&gt;Describes &lt;see cref="global::MyApp.OrdersEndpoint"/&gt; for its AsyncAPI document and typed client.&lt;/summary&gt;
///     [global::System.CodeDom.Compiler.GeneratedCode("Annotated.WebSockets.Generators", "0.1.0.0")]
///     internal static class OrdersEndpointDescription
///     {
///         public static global::Annotated.WebSockets.Dispatch.EndpointDescription Create() => new global::Annotated.WebSockets.Dispatch.EndpointDescription
///         {
///             PathParameters = new global::Annotated.WebSockets.Dispatch.PathParameterDescription[]
///             {
///                 new global::Annotated.WebSockets.Dispatch.PathParameterDescription { Name = "shop", TypeName = "int", JsonType = "integer", Format = "int32" },
///             },
///             Handlers = new global::Annotated.WebSockets.Dispatch.HandlerDescription[]
///             {
///                 new global::Annotated.WebSockets.Dispatch.HandlerDescription
///                 {
///                     MethodName = "Place",
///                     Kind = global::Annotated.WebSockets.MessageKind.Text,
///                     Messages = new global::Annotated.WebSockets.Dispatch.MessageDescription[]
///                     {
///                         new global::Annotated.WebSockets.Dispatch.MessageDescription
///                         {
///                             Name = "Order",
///                             Kind = global::Annotated.WebSockets.MessageKind.Text,
///                             TypeName = "MyApp.Order",
///                             JsonContract = static () => ((global::Annotated.WebSockets.IJsonCoder)new global::MyApp.OrderJson()).JsonTypeInfo,
///                             MaxMessageSize = 4096,
///                         },
///                     },
///                     Replies = new global::Annotated.WebSockets.Dispatch.MessageDescription[] { ... Receipt, from ReceiptJson ... },
///                 },
///             },
///             Sends = new global::Annotated.WebSockets.Dispatch.MessageDescription[]
///             {
///                 new global::Annotated.WebSockets.Dispatch.MessageDescription { Name = "text", Kind = global::Annotated.WebSockets.MessageKind.Text },
///             },
///         };
///     }
/// }
/// </code>
/// </example>
internal static class DescriptionEmitter
{
    private const string Dispatch = "global::Annotated.WebSockets.Dispatch.";
    private const string MessageKind = "global::Annotated.WebSockets.MessageKind";

    /// <summary>The hint name of <paramref name="endpoint"/>'s description file.</summary>
    public static string HintName(DescriptionTarget endpoint) => endpoint.MetadataName + ".Description.g.cs";

    /// <summary>The source text of <paramref name="endpoint"/>'s description.</summary>
    public static string Emit(DescriptionTarget endpoint)
    {
        var description = endpoint.Description;
        var writer = new CodeWriter();
        GeneratedCodeInfo.WriteFileHeader(writer);
        writer.WriteLine();
        writer.OpenBlock($"namespace {endpoint.GeneratedNamespace}");
        writer.WriteLine($"/// <summary>Describes <see cref=\"{endpoint.TypeName}\"/> for its AsyncAPI document and typed client.</summary>");
        writer.WriteLine(GeneratedCodeInfo.Attribute);
        writer.OpenBlock($"internal static class {endpoint.DescriptionName}");
        writer.OpenBlock($"public static {Dispatch}EndpointDescription Create() => new {Dispatch}EndpointDescription");
        if (!description.PathParameters.IsEmpty)
        {
            writer.OpenBlock($"PathParameters = new {Dispatch}PathParameterDescription[]");
            foreach (var parameter in description.PathParameters)
            {
                var format = parameter.Format is null ? string.Empty : $", Format = {Literal(parameter.Format)}";
                writer.WriteLine($"new {Dispatch}PathParameterDescription {{ Name = {Literal(parameter.Name)}, TypeName = {Literal(parameter.TypeName)}, JsonType = {Literal(parameter.JsonType)}{format} }},");
            }

            writer.CloseBlock(",");
        }

        if (!description.Handlers.IsEmpty)
        {
            writer.OpenBlock($"Handlers = new {Dispatch}HandlerDescription[]");
            foreach (var handler in description.Handlers)
            {
                writer.OpenBlock($"new {Dispatch}HandlerDescription");
                writer.WriteLine($"MethodName = {Literal(handler.MethodName)},");
                writer.WriteLine($"Kind = {Kind(handler.IsText)},");
                WriteMessages(writer, "Messages", handler.Messages);
                WriteMessages(writer, "Replies", handler.Replies);
                writer.CloseBlock(",");
            }

            writer.CloseBlock(",");
        }

        WriteMessages(writer, "Sends", description.Sends);
        writer.CloseBlock(";");
        writer.CloseBlock();
        writer.CloseBlock();
        return writer.ToString();
    }

    private static void WriteMessages(CodeWriter writer, string property, EquatableArray<MessageDescriptionModel> messages)
    {
        if (messages.IsEmpty)
        {
            return;
        }

        writer.OpenBlock($"{property} = new {Dispatch}MessageDescription[]");
        foreach (var message in messages)
        {
            writer.OpenBlock($"new {Dispatch}MessageDescription");
            writer.WriteLine($"Name = {Literal(message.Name)},");
            writer.WriteLine($"Kind = {Kind(message.IsText)},");
            if (message.TypeName is { } typeName)
            {
                writer.WriteLine($"TypeName = {Literal(typeName)},");
            }

            if (message.JsonContract is { } contract)
            {
                writer.WriteLine($"JsonContract = static () => {contract},");
            }

            if (message.Schema is { } schema)
            {
                writer.WriteLine($"Schema = {Literal(schema)},");
            }

            if (message.Unspecified is { } unspecified)
            {
                writer.WriteLine($"Unspecified = {Literal(unspecified)},");
            }

            if (message.MaxMessageSize >= 0)
            {
                writer.WriteLine($"MaxMessageSize = {message.MaxMessageSize.ToString(CultureInfo.InvariantCulture)},");
            }

            writer.CloseBlock(",");
        }

        writer.CloseBlock(",");
    }

    private static string Kind(bool isText) => MessageKind + (isText ? ".Text" : ".Binary");

    private static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}

/// <summary>The part of an endpoint model its description file needs; the pipeline compares it to skip unchanged ones.</summary>
/// <param name="MetadataName">Names the file.</param>
/// <param name="GeneratedNamespace">The namespace of the endpoint's generated types.</param>
/// <param name="TypeName">The endpoint type, <c>global::</c>-qualified.</param>
/// <param name="DescriptionName">The simple name of the description class.</param>
/// <param name="Description">The description.</param>
internal sealed record DescriptionTarget(string MetadataName, string GeneratedNamespace, string TypeName, string DescriptionName, DescriptionModel Description)
{
    /// <summary>The description of <paramref name="endpoint"/>, or null for an endpoint that has none (a client endpoint).</summary>
    public static DescriptionTarget? From(EndpointModel endpoint) => endpoint.Description is { } description
        ? new DescriptionTarget(endpoint.MetadataName, endpoint.GeneratedNamespace, endpoint.TypeName, endpoint.DescriptionName, description)
        : null;
}
