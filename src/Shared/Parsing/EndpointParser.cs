using System.Collections.Generic;
using System.Threading;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Turns a class carrying <c>[ServerEndpoint]</c> or <c>[ClientEndpoint]</c> into an <see cref="EndpointModel"/>.
/// It returns null for anything the generated code could not handle correctly, so an invalid endpoint
/// produces no generated code (and no cascade of compiler errors); the analyzers say what is wrong.
/// </summary>
internal static class EndpointParser
{
    /// <summary>Parses <paramref name="type"/>, annotated with <paramref name="endpointAttribute"/>.</summary>
    public static EndpointModel? Parse(
        INamedTypeSymbol type,
        AttributeData endpointAttribute,
        bool isClientEndpoint,
        KnownTypes knownTypes,
        CancellationToken cancellationToken)
    {
        var assembly = type.ContainingAssembly;
        if (type.TypeKind != TypeKind.Class || type.IsAbstract || type.IsStatic || IsGeneric(type)
            || !TypeShapes.IsReachableFrom(type, assembly))
        {
            return null;
        }

        var attribute = ReadAttribute(endpointAttribute, isClientEndpoint, assembly);
        if (attribute is null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();
        // A client endpoint the container cannot create is still valid: the application connects an instance.
        var constructor = ChooseConstructor(type, assembly);
        if (constructor is null && !isClientEndpoint)
        {
            return null;
        }

        var coders = CoderParser.Read(endpointAttribute, knownTypes, assembly);
        if (coders is null)
        {
            return null;
        }

        // Only a server endpoint is mapped to a route, whose metadata its attributes become.
        var metadata = isClientEndpoint
            ? EquatableArray<AttributeModel>.Empty
            : EndpointMetadataParser.Parse(type, knownTypes, cancellationToken);

        HandlerModel? onOpen = null, onClose = null, onError = null, text = null, binary = null, pong = null;
        var handlers = new List<(IMethodSymbol Method, HandlerModel Handler)>();
        foreach (var annotated in AnnotatedMethodCollector.Collect(type, knownTypes, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var handler = HandlerParser.Parse(annotated, assembly, knownTypes, coders, cancellationToken);
            if (handler is null)
            {
                return null;
            }

            if (!SymbolEqualityComparer.Default.Equals(annotated.Method.ContainingType, type))
            {
                handler = handler with { DeclaringTypeName = SymbolNames.FullyQualified(annotated.Method.ContainingType) };
            }

            handlers.Add((annotated.Method, handler));
            var filled = annotated.Role switch
            {
                HandlerRole.Open => TryFill(ref onOpen, handler),
                HandlerRole.Close => TryFill(ref onClose, handler),
                HandlerRole.Error => TryFill(ref onError, handler),
                _ => HandlerParser.GetChannel(handler) switch
                {
                    MessageChannel.Text => TryFill(ref text, handler),
                    MessageChannel.Binary => TryFill(ref binary, handler),
                    MessageChannel.Pong => TryFill(ref pong, handler),
                    _ => false,
                },
            };

            // Two handlers for one callback: the runtime could call only one of them, so generate nothing.
            if (!filled)
            {
                return null;
            }
        }

        // Only a server endpoint has a route a client connects to, so only it is described.
        var description = isClientEndpoint || attribute.Value.Path is null
            ? null
            : DescriptionParser.Parse(type, attribute.Value.Path, handlers, coders, knownTypes, cancellationToken);

        return new EndpointModel(
            SymbolNames.MetadataName(type),
            SymbolNames.Namespace(type),
            SymbolNames.FullyQualified(type),
            SymbolNames.FlatName(type, "__") + "Dispatcher",
            isClientEndpoint,
            attribute.Value.Path,
            attribute.Value.Subprotocols,
            attribute.Value.Decoders,
            attribute.Value.Encoders,
            coders.Instances,
            coders.EncoderUses,
            knownTypes.CanStreamSends,
            attribute.Value.Configurator,
            constructor ?? EquatableArray<string>.Empty,
            constructor is not null,
            metadata,
            onOpen,
            onClose,
            onError,
            text,
            binary,
            pong,
            description,
            isClientEndpoint ? null : RateLimitPolicyNames.Read(endpointAttribute),
            !isClientEndpoint && ReadRequireSecureConnection(endpointAttribute));
    }

    /// <summary>The <c>RequireSecureConnection</c> argument of <c>[ServerEndpoint]</c>; false when absent.</summary>
    private static bool ReadRequireSecureConnection(AttributeData attribute)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == "RequireSecureConnection" && argument.Value is { Kind: TypedConstantKind.Primitive, Value: bool value })
            {
                return value;
            }
        }

        return false;
    }

    private static bool TryFill(ref HandlerModel? slot, HandlerModel handler)
    {
        if (slot is not null)
        {
            return false;
        }

        slot = handler;
        return true;
    }

    private static bool IsGeneric(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static (string? Path, EquatableArray<string> Subprotocols, EquatableArray<string> Decoders, EquatableArray<string> Encoders, string? Configurator)?
        ReadAttribute(AttributeData attribute, bool isClientEndpoint, IAssemblySymbol assembly)
    {
        if (attribute.AttributeClass is null or IErrorTypeSymbol)
        {
            return null;
        }

        string? path = null;
        if (!isClientEndpoint)
        {
            if (attribute.ConstructorArguments is not [{ Kind: TypedConstantKind.Primitive, Value: string value }])
            {
                return null;
            }

            path = value;
        }

        var subprotocols = EquatableArray<string>.Empty;
        var decoders = EquatableArray<string>.Empty;
        var encoders = EquatableArray<string>.Empty;
        string? configurator = null;
        foreach (var argument in attribute.NamedArguments)
        {
            switch (argument.Key)
            {
                case "Subprotocols":
                    if (ReadStrings(argument.Value) is not { } strings)
                    {
                        return null;
                    }

                    subprotocols = strings;
                    break;
                case "Decoders":
                    if (ReadTypes(argument.Value, assembly) is not { } decoderTypes)
                    {
                        return null;
                    }

                    decoders = decoderTypes;
                    break;
                case "Encoders":
                    if (ReadTypes(argument.Value, assembly) is not { } encoderTypes)
                    {
                        return null;
                    }

                    encoders = encoderTypes;
                    break;
                case "Configurator":
                    if (argument.Value.IsNull)
                    {
                        break;
                    }

                    if (argument.Value is not { Kind: TypedConstantKind.Type, Value: INamedTypeSymbol configuratorType }
                        || !IsConstructible(configuratorType, assembly))
                    {
                        return null;
                    }

                    configurator = SymbolNames.FullyQualified(configuratorType);
                    break;
            }
        }

        return (path, subprotocols, decoders, encoders, configurator);
    }

    private static EquatableArray<string>? ReadStrings(TypedConstant constant)
    {
        if (constant.Kind != TypedConstantKind.Array)
        {
            return null;
        }

        if (constant.IsNull)
        {
            return EquatableArray<string>.Empty;
        }

        var values = new List<string>();
        foreach (var item in constant.Values)
        {
            if (item.Value is not string value)
            {
                return null;
            }

            values.Add(value);
        }

        return values.ToEquatableArray();
    }

    private static EquatableArray<string>? ReadTypes(TypedConstant constant, IAssemblySymbol assembly)
    {
        if (constant.Kind != TypedConstantKind.Array)
        {
            return null;
        }

        if (constant.IsNull)
        {
            return EquatableArray<string>.Empty;
        }

        var values = new List<string>();
        foreach (var item in constant.Values)
        {
            if (item.Value is not INamedTypeSymbol type || type.IsUnboundGenericType || !TypeShapes.IsReachableFrom(type, assembly))
            {
                return null;
            }

            values.Add(SymbolNames.FullyQualified(type));
        }

        return values.ToEquatableArray();
    }

    private static bool IsConstructible(INamedTypeSymbol type, IAssemblySymbol assembly) =>
        type.TypeKind == TypeKind.Class && CoderShapes.ConstructionProblem(type, assembly) is null;

    /// <summary>
    /// Why the generated registration cannot create <paramref name="type"/>, in words for AWE0005; null when
    /// it can. The validator reports exactly the endpoints for which <see cref="ChooseConstructor"/> fails.
    /// </summary>
    internal static string? ConstructorProblem(INamedTypeSymbol type, IAssemblySymbol assembly)
    {
        if (HasRequiredMembers(type))
        {
            return "has required members, which the container cannot set";
        }

        return ChooseConstructor(type, assembly) is null
            ? "has no constructor the generated code can call (its parameters are resolved from dependency injection, so they cannot be ref, out or ref struct parameters)"
            : null;
    }

    /// <summary>
    /// The constructor's parameter types: empty when there is a reachable parameterless constructor
    /// (<c>new T()</c>), otherwise those of the usable reachable constructor with the most parameters, each
    /// resolved from the connection's services. Null when there is no usable constructor.
    /// </summary>
    private static EquatableArray<string>? ChooseConstructor(INamedTypeSymbol type, IAssemblySymbol assembly)
    {
        if (HasRequiredMembers(type))
        {
            return null;
        }

        if (FindParameterless(type, assembly) is not null)
        {
            return EquatableArray<string>.Empty;
        }

        IMethodSymbol? best = null;
        foreach (var constructor in type.InstanceConstructors)
        {
            if (TypeShapes.IsReachableFrom(constructor, assembly) && IsResolvable(constructor, assembly)
                && (best is null || constructor.Parameters.Length > best.Parameters.Length))
            {
                best = constructor;
            }
        }

        if (best is null)
        {
            return null;
        }

        var parameters = new List<string>(best.Parameters.Length);
        foreach (var parameter in best.Parameters)
        {
            parameters.Add(SymbolNames.FullyQualified(parameter.Type));
        }

        return parameters.ToEquatableArray();
    }

    // Each argument is `GetRequiredService<T>(services)`: a value, so no ref or out, and T must be a type argument.
    private static bool IsResolvable(IMethodSymbol constructor, IAssemblySymbol assembly)
    {
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In) || parameter.Type.IsRefLikeType
                || parameter.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol
                || !TypeShapes.IsReachableFrom(parameter.Type, assembly))
            {
                return false;
            }
        }

        return true;
    }

    private static IMethodSymbol? FindParameterless(INamedTypeSymbol type, IAssemblySymbol assembly)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.IsEmpty && TypeShapes.IsReachableFrom(constructor, assembly))
            {
                return constructor;
            }
        }

        return null;
    }

    // `new T()` does not compile when T has required members the constructor does not set.
    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    return true;
                }
            }
        }

        return false;
    }
}
