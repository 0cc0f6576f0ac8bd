namespace Annotated.WebSockets;

/// <summary>A WebSocket extension as negotiated in the handshake (<c>Sec-WebSocket-Extensions</c>): its name and its parameters in order.</summary>
public sealed class Extension : IEquatable<Extension>
{
    /// <summary>Creates an extension description.</summary>
    /// <param name="name">The extension token, for example <c>permessage-deflate</c>.</param>
    /// <param name="parameters">The parameters in order; null for none.</param>
    public Extension(string name, IReadOnlyList<ExtensionParameter>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Parameters = parameters is null ? [] : [.. parameters];
    }

    /// <summary>The extension token.</summary>
    public string Name { get; }

    /// <summary>The parameters, in the order they were given.</summary>
    public IReadOnlyList<ExtensionParameter> Parameters { get; }

    /// <summary>Parses one element of a <c>Sec-WebSocket-Extensions</c> header: <c>name; p1; p2=value</c>.</summary>
    /// <param name="element">The element, without commas.</param>
    /// <returns>The extension it describes.</returns>
    /// <exception cref="FormatException">The element has no name.</exception>
    public static Extension Parse(string element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var parts = element.Split(';');
        var name = parts[0].Trim();
        if (name.Length == 0)
        {
            throw new FormatException($"The extension '{element}' has no name.");
        }

        var parameters = new List<ExtensionParameter>(parts.Length - 1);
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i].Trim();
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=');
            parameters.Add(equals < 0
                ? new ExtensionParameter(part, null)
                : new ExtensionParameter(part[..equals].Trim(), part[(equals + 1)..].Trim().Trim('"')));
        }

        return new Extension(name, parameters);
    }

    /// <summary>The header form: <c>name; p1; p2=value</c>.</summary>
    /// <returns>The extension as it appears in a <c>Sec-WebSocket-Extensions</c> header.</returns>
    public override string ToString() =>
        Parameters.Count == 0 ? Name : Name + "; " + string.Join("; ", Parameters);

    /// <inheritdoc />
    public bool Equals(Extension? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && Parameters.SequenceEqual(other.Parameters);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Extension);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Name);
}
