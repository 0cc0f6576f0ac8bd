using System.Collections.Generic;
using System.Threading;
using Annotated.WebSockets.SourceGeneration.Model;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Reads what a server endpoint's description says: path parameter types, each message handler's messages and
/// replies, and its <c>[SendsMessage]</c> declarations. The generator emits the result; the analyzers report, from the
/// same result, every part it could only call "unspecified" (AWE0401), so the two cannot disagree.
/// </summary>
internal static class DescriptionParser
{
    private const string JsonCoderName = "global::Annotated.WebSockets.IJsonCoder";

    /// <summary>Describes <paramref name="type"/>, whose handlers are already parsed into <paramref name="handlers"/>.</summary>
    public static DescriptionModel Parse(
        INamedTypeSymbol type,
        string path,
        IReadOnlyList<(IMethodSymbol Method, HandlerModel Handler)> handlers,
        CoderParser coders,
        KnownTypes knownTypes,
        CancellationToken cancellationToken)
    {
        var pathParameters = new List<PathParameterDescriptionModel>();
        if (EndpointPathTemplate.TryParse(path, out var template, out _) == PathTemplateProblem.None && template is not null)
        {
            foreach (var variable in template.Variables)
            {
                pathParameters.Add(DescribePathParameter(variable, handlers));
            }
        }

        var described = new List<HandlerDescriptionModel>();
        foreach (var (method, handler) in handlers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var channel = HandlerParser.GetChannel(handler);
            if (channel is not (MessageChannel.Text or MessageChannel.Binary))
            {
                continue;
            }

            var messages = new List<MessageDescriptionModel>();
            foreach (var parameter in handler.Parameters)
            {
                messages.AddRange(DescribeTaken(parameter, handler.MaxMessageSize, coders));
            }

            var replies = new List<MessageDescriptionModel>();
            if (handler.Result != ResultKind.None && ResultType(method.ReturnType, knownTypes) is { } resultType)
            {
                replies.Add(DescribeSent(resultType, null, coders, knownTypes));
            }

            described.Add(new HandlerDescriptionModel(method.Name, channel == MessageChannel.Text, messages.ToEquatableArray(), replies.ToEquatableArray()));
        }

        // Text first, as the runtime lists them.
        described.Sort(static (left, right) => right.IsText.CompareTo(left.IsText));

        var sends = new List<MessageDescriptionModel>();
        foreach (var (messageType, context) in ReadDeclarations(type, knownTypes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            sends.Add(DescribeSent(messageType, context, coders, knownTypes));
        }

        return new DescriptionModel(pathParameters.ToEquatableArray(), described.ToEquatableArray(), sends.ToEquatableArray());
    }

    /// <summary>The <c>[SendsMessage]</c> declarations of <paramref name="type"/>: the type sent and the <c>JsonContext</c>, if any.</summary>
    public static List<(ITypeSymbol MessageType, INamedTypeSymbol? JsonContext)> ReadDeclarations(INamedTypeSymbol type, KnownTypes knownTypes)
    {
        var declarations = new List<(ITypeSymbol, INamedTypeSymbol?)>();
        foreach (var attribute in type.GetAttributes())
        {
            if (knownTypes.SendsMessageAttribute is null
                || !SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, knownTypes.SendsMessageAttribute)
                || attribute.ConstructorArguments is not [{ Kind: TypedConstantKind.Type, Value: ITypeSymbol messageType }])
            {
                continue;
            }

            INamedTypeSymbol? context = null;
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "JsonContext" && argument.Value.Value is INamedTypeSymbol contextType)
                {
                    context = contextType;
                }
            }

            declarations.Add((messageType, context));
        }

        return declarations;
    }

    /// <summary>Whether a declared message of <paramref name="declared"/> covers a send of <paramref name="sent"/>.</summary>
    public static bool Covers(ITypeSymbol declared, ITypeSymbol sent, KnownTypes knownTypes) =>
        IsBinary(declared, knownTypes) ? IsBinary(sent, knownTypes) : MessageTypes.IsAssignableTo(sent, declared);

    /// <summary>Whether <paramref name="type"/> goes on the wire as a binary message by itself (bytes).</summary>
    public static bool IsBinary(ITypeSymbol type, KnownTypes knownTypes) =>
        TypeShapes.IsByteArray(type) || TypeShapes.IsOfByte(type, knownTypes.ReadOnlyMemoryOfT) || TypeShapes.IsOfByte(type, knownTypes.ArraySegmentOfT);

    private static PathParameterDescriptionModel DescribePathParameter(string name, IReadOnlyList<(IMethodSymbol Method, HandlerModel Handler)> handlers)
    {
        foreach (var (_, handler) in handlers)
        {
            foreach (var parameter in handler.Parameters)
            {
                if (parameter.Kind != ParameterKind.PathParameter || parameter.PathParameterName != name)
                {
                    continue;
                }

                var shown = Shown(parameter.TypeName);
                var (jsonType, format) = parameter.Conversion switch
                {
                    StringConversion.Boolean or StringConversion.NullableBoolean => ("boolean", (string?)null),
                    StringConversion.Parse or StringConversion.NullableParse => JsonTypeOf(parameter.ValueTypeName),
                    _ => ("string", null),
                };
                return new PathParameterDescriptionModel(name, shown, jsonType, format);
            }
        }

        return new PathParameterDescriptionModel(name, "string", "string", null);
    }

    private static (string JsonType, string? Format) JsonTypeOf(string? valueTypeName) => valueTypeName switch
    {
        "int" => ("integer", "int32"),
        "long" => ("integer", "int64"),
        "short" or "ushort" or "byte" or "sbyte" or "uint" or "ulong" or "nint" or "nuint" => ("integer", null),
        "float" => ("number", "float"),
        "double" => ("number", "double"),
        "decimal" => ("number", null),
        "global::System.Guid" => ("string", "uuid"),
        _ => ("string", null),
    };

    private static IEnumerable<MessageDescriptionModel> DescribeTaken(ParameterModel parameter, long maxMessageSize, CoderParser coders)
    {
        switch (parameter.Kind)
        {
            case ParameterKind.Text or ParameterKind.Utf8Text or ParameterKind.TextReader:
                yield return new MessageDescriptionModel("text", IsText: true, MaxMessageSize: maxMessageSize);
                break;
            case ParameterKind.ParsedText:
                yield return new MessageDescriptionModel("text", IsText: true, Schema: TextSchema(Shown(parameter.ValueTypeName ?? parameter.TypeName)), MaxMessageSize: maxMessageSize);
                break;
            case ParameterKind.ByteArray or ParameterKind.ReadOnlyMemory or ParameterKind.ArraySegment or ParameterKind.Stream:
                yield return new MessageDescriptionModel("binary", IsText: false, MaxMessageSize: maxMessageSize);
                break;
            case ParameterKind.DecodedText or ParameterKind.DecodedBinary:
                foreach (var use in parameter.Decoders)
                {
                    foreach (var (value, decoder) in coders.DecoderUses)
                    {
                        if (decoder == use)
                        {
                            yield return DescribeCoded(value, use, coders.InstanceOf(use), "decodes") with { MaxMessageSize = maxMessageSize };
                            break;
                        }
                    }
                }

                break;
        }
    }

    /// <summary>An outbound message of <paramref name="type"/>: what a reply or a declared send of it looks like on the wire.</summary>
    private static MessageDescriptionModel DescribeSent(ITypeSymbol type, INamedTypeSymbol? jsonContext, CoderParser coders, KnownTypes knownTypes)
    {
        var value = TypeShapes.NullableUnderlying(type) ?? type;
        if (TypeShapes.IsString(value) || TypeShapes.Is(value, knownTypes.Utf8Text))
        {
            return new MessageDescriptionModel("text", IsText: true);
        }

        if (IsBinary(value, knownTypes))
        {
            return new MessageDescriptionModel("binary", IsText: false);
        }

        string? contextProblem = null;
        if (jsonContext is not null)
        {
            contextProblem = JsonContextProblem(jsonContext, knownTypes);
            if (contextProblem is null)
            {
                var contract = $"{SymbolNames.FullyQualified(jsonContext)}.Default.GetTypeInfo(typeof({SymbolNames.FullyQualified(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated))}))"
                    + $" ?? throw new global::System.InvalidOperationException({Literal($"{Shown(SymbolNames.FullyQualified(jsonContext))} has no JSON contract for {Shown(SymbolNames.FullyQualified(type))}; add [JsonSerializable(typeof({type.Name}))] to it.")})";
                return new MessageDescriptionModel(NameOf(type), IsText: true, Shown(SymbolNames.FullyQualified(type)), JsonContract: contract);
            }
        }

        foreach (var (encoded, use) in coders.EncoderUsesWithTypes)
        {
            if (MessageTypes.IsAssignableTo(type, encoded))
            {
                var message = DescribeCoded(encoded, use, coders.InstanceOf(use), "encodes");
                return contextProblem is null || message.Unspecified is null ? message : message with { Unspecified = contextProblem };
            }
        }

        if (MessageTypes.IsTextPrimitive(value))
        {
            return new MessageDescriptionModel("text", IsText: true, Schema: TextSchema(Shown(SymbolNames.FullyQualified(value))));
        }

        return new MessageDescriptionModel(NameOf(type), IsText: true, Shown(SymbolNames.FullyQualified(type)),
            Unspecified: contextProblem ?? $"no encoder of the endpoint writes {Shown(SymbolNames.FullyQualified(type))} and [SendsMessage] names no JsonContext for it");
    }

    private static MessageDescriptionModel DescribeCoded(ITypeSymbol value, CoderUse use, CoderInstance coder, string verb)
    {
        var isText = use.Kind is CoderKind.Text or CoderKind.Utf8Text or CoderKind.TextStream;
        var typeName = Shown(use.ValueTypeName);
        if (!isText)
        {
            return new MessageDescriptionModel(NameOf(value), IsText: false, typeName);
        }

        return coder.IsJsonCoder
            ? new MessageDescriptionModel(NameOf(value), IsText: true, typeName, JsonContract: $"(({JsonCoderName})new {coder.TypeName}()).JsonTypeInfo")
            : new MessageDescriptionModel(NameOf(value), IsText: true, typeName,
                Unspecified: $"{Shown(coder.TypeName)}, which {verb} it, is not an IJsonCoder, so the text it {verb} has no JSON contract to describe");
    }

    /// <summary>Why <paramref name="context"/> cannot give JSON contracts, or null when it can.</summary>
    public static string? JsonContextProblem(INamedTypeSymbol context, KnownTypes knownTypes)
    {
        if (knownTypes.JsonSerializerContext is null || !MessageTypes.DerivesFrom(context, knownTypes.JsonSerializerContext))
        {
            return $"its JsonContext {context.Name} is not a JsonSerializerContext";
        }

        foreach (var member in context.GetMembers("Default"))
        {
            if (member is IPropertySymbol { IsStatic: true } property && MessageTypes.DerivesFrom(property.Type, knownTypes.JsonSerializerContext))
            {
                return null;
            }
        }

        // System.Text.Json's source generator adds Default to a context with [JsonSerializable]; generators do not see
        // each other's output, so that attribute stands for it.
        foreach (var attribute in context.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "JsonSerializableAttribute" } attributeClass
                && attributeClass.ContainingNamespace?.ToDisplayString() == "System.Text.Json.Serialization")
            {
                return null;
            }
        }

        return $"its JsonContext {context.Name} has no static Default instance (is it a source-generated context with [JsonSerializable]?)";
    }

    private static ITypeSymbol? ResultType(ITypeSymbol returnType, KnownTypes knownTypes)
    {
        if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && (TypeShapes.Is(generic.OriginalDefinition, knownTypes.TaskOfT) || TypeShapes.Is(generic.OriginalDefinition, knownTypes.ValueTaskOfT)))
        {
            return generic.TypeArguments[0];
        }

        return returnType.SpecialType == SpecialType.System_Void ? null : returnType;
    }

    private static string NameOf(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => NameOf(array.ElementType) + "Array",
        INamedTypeSymbol { IsGenericType: true } named when TypeShapes.NullableUnderlying(named) is { } underlying => NameOf(underlying),
        _ => type.Name,
    };

    private static string TextSchema(string typeName) =>
        "{\"type\":\"string\",\"description\":\"" + typeName.Replace("\"", "'") + " as text (invariant culture)\"}";

    /// <summary><c>global::MyApp.Order</c> as people read it: <c>MyApp.Order</c>.</summary>
    private static string Shown(string typeName) => typeName.Replace("global::", string.Empty);

    private static string Literal(string text) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
}
