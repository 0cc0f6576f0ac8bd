namespace Annotated.WebSockets.SourceGeneration.Model;

/// <summary>
/// How a string becomes a parameter's value: a <c>[PathParam]</c> value through the runtime's
/// <c>PathParameterConverter</c>, or a whole text message taken as a primitive.
/// </summary>
internal enum StringConversion
{
    /// <summary>No conversion: the parameter is not a path parameter nor a converted text message.</summary>
    None,

    /// <summary>The string itself (<c>GetString</c> for a path parameter: null when the template has no such variable).</summary>
    String,

    /// <summary>An invariant-culture parse (<c>Get&lt;T&gt;</c>).</summary>
    Parse,

    /// <summary>An invariant-culture parse into <c>T?</c> (<c>GetNullable&lt;T&gt;</c>).</summary>
    NullableParse,

    /// <summary><c>true</c> or <c>false</c> in any case (<c>GetBoolean</c>).</summary>
    Boolean,

    /// <summary>Like <see cref="Boolean"/>, into <c>bool?</c> (<c>GetNullableBoolean</c>).</summary>
    NullableBoolean,

    /// <summary>Exactly one character (<c>GetChar</c>).</summary>
    Char,

    /// <summary>Like <see cref="Char"/>, into <c>char?</c> (<c>GetNullableChar</c>).</summary>
    NullableChar,
}
