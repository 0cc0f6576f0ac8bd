namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>One parameter of a handler method and where its argument comes from.</summary>
/// <param name="Kind">What the argument is.</param>
/// <param name="TypeName">The parameter type as a <c>global::</c>-qualified C# name.</param>
/// <param name="PathParameterName">For <see cref="ParameterKind.PathParameter"/>, the URI template variable; otherwise null.</param>
/// <param name="Conversion">For a path parameter or a converted text message, how the string becomes the value.</param>
/// <param name="ValueTypeName">For a parsed value, the non-nullable value type (<c>int</c>, <c>global::System.Guid</c>); otherwise null.</param>
/// <param name="Decoders">For a decoded message, the decoders whose result fits the parameter, in declaration order.</param>
internal sealed record ParameterModel(
    ParameterKind Kind,
    string TypeName,
    string? PathParameterName = null,
    StringConversion Conversion = StringConversion.None,
    string? ValueTypeName = null,
    EquatableArray<CoderUse> Decoders = default)
{
    /// <summary>Whether one of <see cref="Decoders"/> reads the message as <c>Utf8Text</c>.</summary>
    public bool DecodesUtf8
    {
        get
        {
            foreach (var decoder in Decoders)
            {
                if (decoder.Kind == CoderKind.Utf8Text)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
