namespace Annotated.WebSockets;

/// <summary>One parameter of an <see cref="Extension"/>.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Value">The value, or null for a parameter without one (for example <c>server_no_context_takeover</c>).</param>
public sealed record ExtensionParameter(string Name, string? Value)
{
    /// <summary>The header form: <c>name</c> or <c>name=value</c>.</summary>
    /// <returns>The parameter as written in a header.</returns>
    public override string ToString() => Value is null ? Name : $"{Name}={Value}";
}
