using System.Collections.Generic;
using Annotated.WebSockets.SourceGeneration.Model;
using Annotated.WebSockets.SourceGeneration.Validation;
using Microsoft.CodeAnalysis;

namespace Annotated.WebSockets.SourceGeneration.Parsing;

/// <summary>
/// Reads an endpoint's declared decoders and encoders into coder instances and their interface uses. The
/// symbols stay here (for the assignability tests of the handler parser); only the strings reach the model.
/// </summary>
internal sealed class CoderParser
{
    private readonly List<CoderInstance> _instances = [];
    private readonly List<(ITypeSymbol Value, CoderUse Use)> _decoders = [];
    private readonly List<(ITypeSymbol Value, CoderUse Use)> _encoders = [];

    private INamedTypeSymbol? _jsonCoder;

    private CoderParser()
    {
    }

    /// <summary>The decoders' interfaces with their value types, in declaration order.</summary>
    public IReadOnlyList<(ITypeSymbol Value, CoderUse Use)> DecoderUses => _decoders;

    /// <summary>The encoders' interfaces with their value types, in declaration order.</summary>
    public IReadOnlyList<(ITypeSymbol Value, CoderUse Use)> EncoderUsesWithTypes => _encoders;

    /// <summary>The coder instance of <paramref name="use"/>.</summary>
    public CoderInstance InstanceOf(CoderUse use) => _instances[use.Instance];

    public EquatableArray<CoderInstance> Instances => _instances.ToEquatableArray();

    public EquatableArray<CoderUse> EncoderUses
    {
        get
        {
            var uses = new List<CoderUse>(_encoders.Count);
            foreach (var (_, use) in _encoders)
            {
                uses.Add(use);
            }

            return uses.ToEquatableArray();
        }
    }

    /// <summary>
    /// Reads the coders of <paramref name="attribute"/>; null when one of them cannot be created by generated
    /// code (the validator reports it with the same rule, <see cref="CoderShapes.ConstructionProblem"/>).
    /// </summary>
    public static CoderParser? Read(AttributeData attribute, KnownTypes knownTypes, IAssemblySymbol assembly)
    {
        var parser = new CoderParser();
        var decoderInterfaces = new[]
        {
            (knownTypes.TextDecoder, CoderKind.Text),
            (knownTypes.Utf8TextDecoder, CoderKind.Utf8Text),
            (knownTypes.TextStreamDecoder, CoderKind.TextStream),
            (knownTypes.BinaryDecoder, CoderKind.Binary),
            (knownTypes.BinaryStreamDecoder, CoderKind.BinaryStream),
        };
        var encoderInterfaces = new[]
        {
            (knownTypes.TextEncoder, CoderKind.Text),
            (knownTypes.Utf8TextEncoder, CoderKind.Utf8Text),
            (knownTypes.TextStreamEncoder, CoderKind.TextStream),
            (knownTypes.BinaryEncoder, CoderKind.Binary),
            (knownTypes.BinaryStreamEncoder, CoderKind.BinaryStream),
        };

        parser._jsonCoder = knownTypes.JsonCoder;
        return parser.ReadList(attribute, "Decoders", decoderInterfaces, parser._decoders, assembly)
            && parser.ReadList(attribute, "Encoders", encoderInterfaces, parser._encoders, assembly)
                ? parser
                : null;
    }

    /// <summary>The decoders whose result can be passed as <paramref name="parameterType"/>, in declaration order.</summary>
    public List<CoderUse> DecodersFor(ITypeSymbol parameterType)
    {
        var uses = new List<CoderUse>();
        foreach (var (value, use) in _decoders)
        {
            if (MessageTypes.IsAssignableTo(value, parameterType))
            {
                uses.Add(use);
            }
        }

        return uses;
    }

    /// <summary>Whether some encoder accepts a value of <paramref name="valueType"/> (the validator's rule).</summary>
    public bool CanEncode(ITypeSymbol valueType)
    {
        foreach (var (value, _) in _encoders)
        {
            if (MessageTypes.IsAssignableTo(valueType, value))
            {
                return true;
            }
        }

        return false;
    }

    private bool ReadList(
        AttributeData attribute,
        string name,
        (INamedTypeSymbol? Interface, CoderKind Kind)[] interfaces,
        List<(ITypeSymbol Value, CoderUse Use)> uses,
        IAssemblySymbol assembly)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key != name || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull)
            {
                continue;
            }

            foreach (var item in argument.Value.Values)
            {
                if (item.Value is not INamedTypeSymbol type || CoderShapes.ConstructionProblem(type, assembly) is not null)
                {
                    return false;
                }

                // A type implementing no coder interface is reported by the validator (AWE0300/AWE0301); it gets no instance.
                int? instance = null;
                var first = uses.Count;
                foreach (var face in type.AllInterfaces)
                {
                    foreach (var (definition, kind) in interfaces)
                    {
                        if (definition is null || !SymbolEqualityComparer.Default.Equals(face.OriginalDefinition, definition))
                        {
                            continue;
                        }

                        var value = face.TypeArguments[0];
                        if (!TypeShapes.IsReachableFrom(value, assembly))
                        {
                            return false;
                        }

                        instance ??= InstanceOf(type);
                        var pattern = (TypeShapes.NullableUnderlying(value) ?? value).WithNullableAnnotation(NullableAnnotation.NotAnnotated);
                        var use = new CoderUse(instance.Value, kind, SymbolNames.FullyQualified(value), SymbolNames.FullyQualified(pattern));

                        // A coder with both the string and the UTF-8 interface for one T is used through the UTF-8 one,
                        // in the place of whichever of the two it lists first.
                        var twin = IndexOfTwin(uses, first, value, kind);
                        if (twin < 0)
                        {
                            uses.Add((value, use));
                        }
                        else if (kind == CoderKind.Utf8Text)
                        {
                            uses[twin] = (value, use);
                        }
                    }
                }
            }
        }

        return true;
    }

    /// <summary>
    /// The index, from <paramref name="first"/> on (the uses of one coder), of the string-or-UTF-8 counterpart of a
    /// <paramref name="kind"/> use of <paramref name="value"/>; -1 when there is none or the kind has no counterpart.
    /// </summary>
    private static int IndexOfTwin(List<(ITypeSymbol Value, CoderUse Use)> uses, int first, ITypeSymbol value, CoderKind kind)
    {
        var other = kind switch
        {
            CoderKind.Text => CoderKind.Utf8Text,
            CoderKind.Utf8Text => CoderKind.Text,
            _ => (CoderKind?)null,
        };
        for (var i = first; other is not null && i < uses.Count; i++)
        {
            if (uses[i].Use.Kind == other && SymbolEqualityComparer.Default.Equals(uses[i].Value, value))
            {
                return i;
            }
        }

        return -1;
    }

    private int InstanceOf(INamedTypeSymbol type)
    {
        var name = SymbolNames.FullyQualified(type);
        for (var i = 0; i < _instances.Count; i++)
        {
            if (_instances[i].TypeName == name)
            {
                return i;
            }
        }

        var isJson = false;
        foreach (var face in type.AllInterfaces)
        {
            isJson |= _jsonCoder is not null && SymbolEqualityComparer.Default.Equals(face, _jsonCoder);
        }

        _instances.Add(new CoderInstance(name, type.IsValueType, isJson));
        return _instances.Count - 1;
    }
}
