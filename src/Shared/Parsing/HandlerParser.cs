using System.Collections.Generic;
using System.Threading;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Turns one handler method into a <see cref="HandlerModel"/>. It returns null for anything the generated
/// dispatcher could not call correctly; the analyzers explain why, so the generator stays silent.
/// </summary>
internal static class HandlerParser
{
    /// <summary>Parses <paramref name="annotated"/> as a handler of an endpoint compiled into <paramref name="assembly"/>.</summary>
    public static HandlerModel? Parse(AnnotatedMethod annotated, IAssemblySymbol assembly, KnownTypes knownTypes, CoderParser coders, CancellationToken cancellationToken)
    {
        var method = annotated.Method;
        if (method.IsStatic || method.IsGenericMethod || method.ReturnsByRef || method.ReturnsByRefReadonly
            || !TypeShapes.IsReachableFrom(method, assembly))
        {
            return null;
        }

        var parameters = new List<ParameterModel>(method.Parameters.Length);
        foreach (var parameter in method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parameter.RefKind != RefKind.None || !TypeShapes.IsReachableFrom(parameter.Type, assembly))
            {
                return null;
            }

            var model = ParseParameter(parameter, annotated.Role, knownTypes, coders);
            if (model is null)
            {
                return null;
            }

            parameters.Add(model);
        }

        var delivery = HandlerDelivery.None;
        switch (annotated.Role)
        {
            case HandlerRole.Message:
                if (ClassifyMessage(parameters) is not { } shape)
                {
                    return null;
                }

                parameters = shape.Parameters;
                delivery = shape.Delivery;
                break;
            case HandlerRole.Error:
                if (Count(parameters, ParameterKind.Error) != 1)
                {
                    return null;
                }

                break;
        }

        if (!TryParseReturn(method.ReturnType, annotated.Role == HandlerRole.Message, knownTypes, coders, out var invocation, out var result, out var nullable, out var mayBeNull))
        {
            return null;
        }

        var maxMessageSize = annotated.Role == HandlerRole.Message ? ReadMaxMessageSize(annotated.Attribute) : -1;
        if (maxMessageSize is null)
        {
            return null;
        }

        return new HandlerModel(
            SymbolNames.Identifier(method.Name),
            invocation,
            result,
            nullable,
            delivery,
            maxMessageSize.Value,
            parameters.ToEquatableArray(),
            ResultMayBeNull: mayBeNull,
            RateLimitPolicy: annotated.Role == HandlerRole.Message ? RateLimitPolicyNames.Read(annotated.Attribute) : null);
    }

    /// <summary>Which endpoint slot a message handler fills, from its message parameter.</summary>
    public static MessageChannel GetChannel(HandlerModel handler)
    {
        foreach (var parameter in handler.Parameters)
        {
            switch (parameter.Kind)
            {
                case ParameterKind.Text or ParameterKind.Utf8Text or ParameterKind.ParsedText or ParameterKind.TextReader or ParameterKind.DecodedText:
                    return MessageChannel.Text;
                case ParameterKind.ByteArray or ParameterKind.ReadOnlyMemory or ParameterKind.ArraySegment or ParameterKind.Stream
                    or ParameterKind.DecodedBinary:
                    return MessageChannel.Binary;
                case ParameterKind.Pong:
                    return MessageChannel.Pong;
            }
        }

        return MessageChannel.None;
    }

    private static ParameterModel? ParseParameter(IParameterSymbol parameter, HandlerRole role, KnownTypes knownTypes, CoderParser coders)
    {
        var type = parameter.Type;
        var typeName = SymbolNames.FullyQualified(type);
        foreach (var attribute in parameter.GetAttributes())
        {
            if (TypeShapes.Is(attribute.AttributeClass, knownTypes.PathParamAttribute))
            {
                return attribute.ConstructorArguments is [{ Kind: TypedConstantKind.Primitive, Value: string name }]
                    ? ParsePathParameter(type, typeName, name)
                    : null;
            }
        }

        if (TypeShapes.Is(type, knownTypes.WebSocketSession))
        {
            return new ParameterModel(ParameterKind.Session, typeName);
        }

        switch (role)
        {
            case HandlerRole.Open when TypeShapes.IsOrDerivesFrom(type, knownTypes.EndpointConfig):
                return new ParameterModel(ParameterKind.EndpointConfig, typeName);
            case HandlerRole.Close when TypeShapes.Is(type, knownTypes.CloseReason):
                return new ParameterModel(ParameterKind.CloseReason, typeName);
            case HandlerRole.Error when TypeShapes.IsOrDerivesFrom(type, knownTypes.Exception):
                return new ParameterModel(ParameterKind.Error, typeName);
            case HandlerRole.Message:
                return ParseMessageParameter(type, typeName, knownTypes, coders);
            default:
                return null;
        }
    }

    private static ParameterModel? ParsePathParameter(ITypeSymbol type, string typeName, string name)
    {
        if (TypeShapes.IsString(type))
        {
            return new ParameterModel(ParameterKind.PathParameter, typeName, name, StringConversion.String);
        }

        return ClassifyValue(type, allowGuid: true) is { } value
            ? new ParameterModel(ParameterKind.PathParameter, typeName, name, value.Conversion, value.ValueTypeName)
            : null;
    }

    /// <summary>How a string converts to <paramref name="type"/>, a primitive (or <c>Guid</c>) or its nullable form; null for other types.</summary>
    private static (StringConversion Conversion, string ValueTypeName)? ClassifyValue(ITypeSymbol type, bool allowGuid)
    {
        var underlying = TypeShapes.NullableUnderlying(type);
        var valueType = underlying ?? type;
        var nullable = underlying is not null;
        StringConversion conversion;
        if (valueType.SpecialType == SpecialType.System_Boolean)
        {
            conversion = nullable ? StringConversion.NullableBoolean : StringConversion.Boolean;
        }
        else if (valueType.SpecialType == SpecialType.System_Char)
        {
            conversion = nullable ? StringConversion.NullableChar : StringConversion.Char;
        }
        else if (TypeShapes.IsNumber(valueType) || (allowGuid && IsGuid(valueType)))
        {
            conversion = nullable ? StringConversion.NullableParse : StringConversion.Parse;
        }
        else
        {
            return null;
        }

        return (conversion, SymbolNames.FullyQualified(valueType));
    }

    private static bool IsGuid(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Guid", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static ParameterModel? ParseMessageParameter(ITypeSymbol type, string typeName, KnownTypes knownTypes, CoderParser coders)
    {
        // A developer's decoder to TextReader or Stream wins over the built-in stream (the TCK's decoders-vs-built-ins rule).
        if ((TypeShapes.Is(type, knownTypes.TextReader) || TypeShapes.Is(type, knownTypes.Stream)) && ParseDecoded(type, typeName, coders) is { } decoded)
        {
            return decoded;
        }

        ParameterKind? kind =
            TypeShapes.IsString(type) ? ParameterKind.Text
            : TypeShapes.Is(type, knownTypes.Utf8Text) ? ParameterKind.Utf8Text
            : TypeShapes.IsByteArray(type) ? ParameterKind.ByteArray
            : TypeShapes.IsOfByte(type, knownTypes.ReadOnlyMemoryOfT) ? ParameterKind.ReadOnlyMemory
            : TypeShapes.IsOfByte(type, knownTypes.ArraySegmentOfT) ? ParameterKind.ArraySegment
            : TypeShapes.Is(type, knownTypes.TextReader) ? ParameterKind.TextReader
            : TypeShapes.Is(type, knownTypes.Stream) ? ParameterKind.Stream
            : TypeShapes.Is(type, knownTypes.PongMessage) ? ParameterKind.Pong
            : TypeShapes.IsBoolean(type) ? ParameterKind.Last
            : null;
        if (kind is { } found)
        {
            return new ParameterModel(found, typeName);
        }

        // A whole text message taken as a primitive. A plain bool stays a candidate `last` flag until the
        // whole parameter list is seen (see ClassifyMessage).
        if (ClassifyValue(type, allowGuid: false) is { } value)
        {
            return new ParameterModel(ParameterKind.ParsedText, typeName, Conversion: value.Conversion, ValueTypeName: value.ValueTypeName);
        }

        return ParseDecoded(type, typeName, coders);
    }

    /// <summary>
    /// A message of another type, made by the endpoint's decoders whose result fits it: all text or all
    /// binary (a type with both is ambiguous, AWE0120), none at all is an unsupported type (AWE0104).
    /// </summary>
    private static ParameterModel? ParseDecoded(ITypeSymbol type, string typeName, CoderParser coders)
    {
        var decoders = coders.DecodersFor(type);
        if (decoders.Count == 0)
        {
            return null;
        }

        var text = 0;
        foreach (var decoder in decoders)
        {
            if (decoder.Kind is CoderKind.Text or CoderKind.Utf8Text or CoderKind.TextStream)
            {
                text++;
            }
        }

        if (text != 0 && text != decoders.Count)
        {
            return null;
        }

        var kind = text != 0 ? ParameterKind.DecodedText : ParameterKind.DecodedBinary;
        return new ParameterModel(kind, typeName, Decoders: decoders.ToEquatableArray());
    }

    /// <summary>Whether every decoder of a decoded message reads a stream, so the message is delivered as one.</summary>
    private static bool AllStream(ParameterModel message)
    {
        foreach (var decoder in message.Decoders)
        {
            if (decoder.Kind is not (CoderKind.TextStream or CoderKind.BinaryStream))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Checks that a message method takes exactly one message: alone, or a <c>string</c>, <c>byte[]</c> or
    /// <c>ReadOnlyMemory&lt;byte&gt;</c> followed or preceded by a <c>bool last</c> flag (a <c>Utf8Text</c> is
    /// always a whole message: the runtime does not deliver one in parts).
    /// </summary>
    private static (List<ParameterModel> Parameters, HandlerDelivery Delivery)? ClassifyMessage(List<ParameterModel> parameters)
    {
        ParameterModel? message = null;
        var flags = 0;
        var messages = 0;
        foreach (var parameter in parameters)
        {
            switch (parameter.Kind)
            {
                case ParameterKind.Session or ParameterKind.PathParameter:
                    break;
                case ParameterKind.Last:
                    flags++;
                    break;
                default:
                    message = parameter;
                    messages++;
                    break;
            }
        }

        // A lone bool is not a flag but the message itself: a whole text message read as true or false.
        if (message is null && flags == 1)
        {
            var index = parameters.FindIndex(static p => p.Kind == ParameterKind.Last);
            var value = parameters[index];
            parameters = new List<ParameterModel>(parameters)
            {
                [index] = value with { Kind = ParameterKind.ParsedText, Conversion = StringConversion.Boolean, ValueTypeName = value.TypeName },
            };
            return (parameters, HandlerDelivery.Whole);
        }

        if (message is null || messages != 1 || flags > 1)
        {
            return null;
        }

        if (flags == 1)
        {
            return message.Kind is ParameterKind.Text or ParameterKind.ByteArray or ParameterKind.ReadOnlyMemory
                ? (parameters, HandlerDelivery.Partial)
                : null;
        }

        var delivery = message.Kind switch
        {
            ParameterKind.TextReader or ParameterKind.Stream => HandlerDelivery.Stream,
            ParameterKind.DecodedText or ParameterKind.DecodedBinary when AllStream(message) => HandlerDelivery.Stream,
            ParameterKind.Pong => HandlerDelivery.None,
            _ => HandlerDelivery.Whole,
        };
        return (parameters, delivery);
    }

    private static bool TryParseReturn(
        ITypeSymbol returnType,
        bool isMessageHandler,
        KnownTypes knownTypes,
        CoderParser coders,
        out HandlerInvocation invocation,
        out ResultKind result,
        out bool nullable,
        out bool mayBeNull)
    {
        result = ResultKind.None;
        nullable = false;
        mayBeNull = false;
        ITypeSymbol? resultType;
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            invocation = HandlerInvocation.Synchronous;
            resultType = null;
        }
        else if (TypeShapes.Is(returnType, knownTypes.Task))
        {
            invocation = HandlerInvocation.Task;
            resultType = null;
        }
        else if (TypeShapes.Is(returnType, knownTypes.ValueTask))
        {
            invocation = HandlerInvocation.ValueTask;
            resultType = null;
        }
        else if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && TypeShapes.Is(generic.OriginalDefinition, knownTypes.TaskOfT))
        {
            invocation = HandlerInvocation.TaskOfT;
            resultType = generic.TypeArguments[0];
        }
        else if (returnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } valueGeneric
            && TypeShapes.Is(valueGeneric.OriginalDefinition, knownTypes.ValueTaskOfT))
        {
            invocation = HandlerInvocation.ValueTaskOfT;
            resultType = valueGeneric.TypeArguments[0];
        }
        else
        {
            invocation = HandlerInvocation.Synchronous;
            resultType = returnType;
        }

        // Lifecycle methods' results are not messages: the dispatcher waits for them and drops the value.
        if (resultType is null || !isMessageHandler)
        {
            return true;
        }

        var underlying = TypeShapes.NullableUnderlying(resultType);
        nullable = underlying is not null;
        var valueType = underlying ?? resultType;
        result =
            TypeShapes.IsString(valueType) ? ResultKind.Text
            : TypeShapes.Is(valueType, knownTypes.Utf8Text) ? ResultKind.Utf8Text
            : TypeShapes.IsByteArray(valueType) ? ResultKind.ByteArray
            : TypeShapes.IsOfByte(valueType, knownTypes.ReadOnlyMemoryOfT) ? ResultKind.ReadOnlyMemory
            : TypeShapes.IsOfByte(valueType, knownTypes.ArraySegmentOfT) ? ResultKind.ArraySegment
            : TypeShapes.IsBoolean(valueType) ? ResultKind.Boolean
            : valueType.SpecialType == SpecialType.System_Char ? ResultKind.Char
            : TypeShapes.IsNumber(valueType) ? ResultKind.Number
            : ResultKind.None;

        if (result != ResultKind.None && (!nullable || result is ResultKind.Boolean or ResultKind.Char or ResultKind.Number))
        {
            return true;
        }

        // Any other type goes through the endpoint's encoders (the validator's AWE0114 rule: some encoder accepts it).
        if (!coders.CanEncode(resultType))
        {
            return false;
        }

        result = ResultKind.Encoded;
        nullable = false;
        mayBeNull = !resultType.IsValueType || TypeShapes.NullableUnderlying(resultType) is not null;
        return true;
    }

    /// <summary>The <c>MaxMessageSize</c> argument, -1 when absent, or null when it is not a valid constant.</summary>
    private static long? ReadMaxMessageSize(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "MaxMessageSize")
            {
                return argument.Value is { Kind: TypedConstantKind.Primitive, Value: long value } ? value : null;
            }
        }

        return -1;
    }

    private static int Count(List<ParameterModel> parameters, ParameterKind kind)
    {
        var count = 0;
        foreach (var parameter in parameters)
        {
            if (parameter.Kind == kind)
            {
                count++;
            }
        }

        return count;
    }
}
