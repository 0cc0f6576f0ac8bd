using System.Collections.Generic;
using Annotated.WebSockets.SourceGeneration.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// The dispatcher's path parameter slots: one <c>PathParameterCache&lt;T&gt;</c> field per distinct template
/// variable and conversion that the endpoint's handlers use, in the order the overrides first use them. Path
/// parameters cannot change during a connection, so each is looked up and converted once per session; the runtime
/// helper keeps today's per-call failure (a new <c>DecodeException</c> each time).
/// </summary>
/// <example>
/// <code>
/// private global::Annotated.WebSockets.Dispatch.PathParameterCache&lt;int&gt; _pathParameter0; // "room"
/// ...
/// global::Annotated.WebSockets.Dispatch.PathParameterConverter.Get&lt;int&gt;(ref _pathParameter0, session, "room")
/// </code>
/// </example>
internal sealed class PathParameterSlots
{
    private readonly List<Slot> _slots = new();
    private readonly Dictionary<string, string> _fields = new(System.StringComparer.Ordinal);

    private PathParameterSlots()
    {
    }

    /// <summary>The slots <paramref name="endpoint"/>'s handlers need; none when no handler takes a path parameter.</summary>
    public static PathParameterSlots For(EndpointModel endpoint)
    {
        var slots = new PathParameterSlots();
        foreach (var handler in new[] { endpoint.OnOpen, endpoint.Text, endpoint.Binary, endpoint.Pong, endpoint.OnError, endpoint.OnClose })
        {
            if (handler is null)
            {
                continue;
            }

            foreach (var parameter in handler.Parameters)
            {
                if (parameter.Kind == ParameterKind.PathParameter)
                {
                    slots.Add(parameter);
                }
            }
        }

        return slots;
    }

    /// <summary>Writes one field per slot, each followed by the template variable it holds.</summary>
    public void WriteFields(CodeWriter writer)
    {
        if (_slots.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("// Path parameters cannot change during a connection: each is converted once per session.");
        foreach (var slot in _slots)
        {
            writer.WriteLine($"private {RuntimeNames.PathParameterCache}<{slot.ValueType}> {slot.Field}; // {slot.Literal}");
        }
    }

    /// <summary>The expression that reads <paramref name="parameter"/> through its slot.</summary>
    public string Argument(ParameterModel parameter)
    {
        var field = _fields[Key(parameter)];
        var name = Literal(parameter);
        var converter = RuntimeNames.PathParameterConverter;
        return parameter.Conversion switch
        {
            // Null when the template has no such variable (spec §4.3); the analyzers warn about that name.
            StringConversion.String => $"{converter}.GetString(ref {field}, session, {name})!",
            StringConversion.Parse => $"{converter}.Get<{parameter.ValueTypeName}>(ref {field}, session, {name})",
            StringConversion.NullableParse => $"{converter}.GetNullable<{parameter.ValueTypeName}>(ref {field}, session, {name})",
            StringConversion.Boolean => $"{converter}.GetBoolean(ref {field}, session, {name})",
            StringConversion.NullableBoolean => $"{converter}.GetNullableBoolean(ref {field}, session, {name})",
            StringConversion.Char => $"{converter}.GetChar(ref {field}, session, {name})",
            _ => $"{converter}.GetNullableChar(ref {field}, session, {name})",
        };
    }

    private void Add(ParameterModel parameter)
    {
        var key = Key(parameter);
        if (_fields.ContainsKey(key))
        {
            return;
        }

        var field = "_pathParameter" + _slots.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _fields.Add(key, field);
        _slots.Add(new Slot(field, ValueType(parameter), Literal(parameter)));
    }

    // The same variable converted two ways (int and byte, bool and bool?) needs two slots: the values and the
    // failures differ.
    private static string Key(ParameterModel parameter) =>
        $"{parameter.PathParameterName}\0{(int)parameter.Conversion}\0{parameter.ValueTypeName}";

    private static string Literal(ParameterModel parameter) =>
        SymbolDisplay.FormatLiteral(parameter.PathParameterName ?? string.Empty, quote: true);

    private static string ValueType(ParameterModel parameter) => parameter.Conversion switch
    {
        StringConversion.String => "string?",
        StringConversion.Parse => parameter.ValueTypeName!,
        StringConversion.NullableParse => parameter.ValueTypeName + "?",
        StringConversion.Boolean => "bool",
        StringConversion.NullableBoolean => "bool?",
        StringConversion.Char => "char",
        _ => "char?",
    };

    private sealed record Slot(string Field, string ValueType, string Literal);
}
