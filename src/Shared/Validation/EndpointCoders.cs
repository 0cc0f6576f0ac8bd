using Annotated.WebSockets.SourceGeneration.Parsing;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>
/// The decoders and encoders an endpoint declares, reduced to what the handler rules need: for each one,
/// the type it produces or accepts and its native kind. Also checks the listed types themselves.
/// </summary>
internal sealed class EndpointCoders
{
    private readonly List<(ITypeSymbol Type, MessageKind Kind)> _decoded = [];
    private readonly List<ITypeSymbol> _encoded = [];

    /// <summary>Reads Decoders, Encoders and Configurator from the endpoint attribute and reports bad entries.</summary>
    public static EndpointCoders Read(EndpointValidationContext context, AttributeData endpointAttribute, bool isServer)
    {
        var coders = new EndpointCoders();
        var known = context.KnownTypes;
        var decoderInterfaces = new[]
        {
            (known.TextDecoder, MessageKind.Text),
            (known.Utf8TextDecoder, MessageKind.Text),
            (known.TextStreamDecoder, MessageKind.Text),
            (known.BinaryDecoder, MessageKind.Binary),
            (known.BinaryStreamDecoder, MessageKind.Binary),
        };
        var encoderInterfaces = new[]
        {
            (known.TextEncoder, MessageKind.Text),
            (known.Utf8TextEncoder, MessageKind.Text),
            (known.TextStreamEncoder, MessageKind.Text),
            (known.BinaryEncoder, MessageKind.Binary),
            (known.BinaryStreamEncoder, MessageKind.Binary),
        };

        foreach (var (type, index) in TypesOf(endpointAttribute, "Decoders"))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var produced = Implemented(type, decoderInterfaces);
            coders._decoded.AddRange(produced);
            if (produced.Count == 0 && decoderInterfaces.Any(static d => d.Item1 is not null))
            {
                context.Report(
                    DiagnosticDescriptors.DecoderTypeInvalid,
                    c => c.TypeOfElementLocation(endpointAttribute, "Decoders", index),
                    context.EndpointType.Name,
                    MessageTypes.Display(type));
            }

            CheckConstructible(context, endpointAttribute, "Decoders", index, type, "a decoder");
        }

        foreach (var (type, index) in TypesOf(endpointAttribute, "Encoders"))
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var accepted = Implemented(type, encoderInterfaces);
            coders._encoded.AddRange(accepted.Select(static a => a.Type));
            if (accepted.Count == 0 && encoderInterfaces.Any(static e => e.Item1 is not null))
            {
                context.Report(
                    DiagnosticDescriptors.EncoderTypeInvalid,
                    c => c.TypeOfElementLocation(endpointAttribute, "Encoders", index),
                    context.EndpointType.Name,
                    MessageTypes.Display(type));
            }

            CheckConstructible(context, endpointAttribute, "Encoders", index, type, "an encoder");
        }

        CheckConfigurator(context, endpointAttribute, isServer ? known.ServerEndpointConfigurator : known.ClientEndpointConfigurator);
        return coders;
    }

    /// <summary>The native kinds of the decoders whose result can be passed as <paramref name="parameterType"/>.</summary>
    public (bool Text, bool Binary) DecodedKinds(ITypeSymbol parameterType)
    {
        bool text = false, binary = false;
        foreach (var (type, kind) in _decoded)
        {
            if (MessageTypes.IsAssignableTo(type, parameterType))
            {
                text |= kind == MessageKind.Text;
                binary |= kind == MessageKind.Binary;
            }
        }

        return (text, binary);
    }

    /// <summary>Whether some encoder accepts a value of <paramref name="valueType"/>.</summary>
    public bool CanEncode(ITypeSymbol valueType) => _encoded.Any(e => MessageTypes.IsAssignableTo(valueType, e));

    private static List<(ITypeSymbol Type, MessageKind Kind)> Implemented(ITypeSymbol coder, (INamedTypeSymbol? Interface, MessageKind Kind)[] interfaces)
    {
        var result = new List<(ITypeSymbol, MessageKind)>();
        foreach (var face in coder.AllInterfaces)
        {
            foreach (var (definition, kind) in interfaces)
            {
                if (definition is not null && SymbolEqualityComparer.Default.Equals(face.OriginalDefinition, definition))
                {
                    result.Add((face.TypeArguments[0], kind));
                }
            }
        }

        return result;
    }

    private static void CheckConfigurator(EndpointValidationContext context, AttributeData attribute, INamedTypeSymbol? baseType)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key != "Configurator" || argument.Value.Value is not ITypeSymbol type)
            {
                continue;
            }

            if (baseType is not null && !MessageTypes.DerivesFrom(type, baseType))
            {
                context.Report(
                    DiagnosticDescriptors.ConfiguratorTypeInvalid,
                    c => c.TypeOfElementLocation(attribute, "Configurator", 0),
                    context.EndpointType.Name,
                    MessageTypes.Display(type),
                    baseType.Name);
            }

            CheckConstructible(context, attribute, "Configurator", 0, type, "its configurator");
        }
    }

    private static void CheckConstructible(EndpointValidationContext context, AttributeData attribute, string argument, int index, ITypeSymbol type, string role)
    {
        // The parser asks the same question, so an endpoint this accepts always gets its coders created.
        var problem = CoderShapes.ConstructionProblem(type, context.EndpointType.ContainingAssembly);
        if (problem is not null)
        {
            context.Report(
                DiagnosticDescriptors.CoderNotConstructible,
                c => c.TypeOfElementLocation(attribute, argument, index),
                context.EndpointType.Name,
                MessageTypes.Display(type),
                role,
                problem);
        }
    }

    private static IEnumerable<(ITypeSymbol Type, int Index)> TypesOf(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key != name || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull)
            {
                continue;
            }

            var values = argument.Value.Values;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i].Value is ITypeSymbol type)
                {
                    yield return (type, i);
                }
            }
        }
    }
}
