namespace Annotated.WebSockets;

/// <summary>
/// Binds a lifecycle or message method parameter to a variable of the server endpoint's URI template.
/// Supported types are <see cref="string"/>, the integral types, <see cref="bool"/>, <see cref="char"/>,
/// <see cref="float"/>, <see cref="double"/>, <see cref="decimal"/> and <see cref="Guid"/> (and their
/// nullable forms); a value that does not convert is a <see cref="DecodeException"/> delivered to the
/// endpoint's <see cref="OnErrorAttribute"/> method.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = true, AllowMultiple = false)]
public sealed class PathParamAttribute : Attribute
{
    /// <summary>Creates the attribute for the template variable <paramref name="name"/>.</summary>
    /// <param name="name">The name of the template variable, without braces.</param>
    public PathParamAttribute(string name) => Name = name;

    /// <summary>The name of the template variable.</summary>
    public string Name { get; }
}
