using System.Collections.Frozen;
using System.Text;

namespace Annotated.WebSockets.Server;

/// <summary>
/// A server endpoint path: a relative URI or a level-1 URI template whose variables replace whole segments
/// (Jakarta WebSocket §3.1.1). It validates the path at deployment and matches request paths exactly as the
/// specification says: same number of segments, literals compared ordinally, a variable matching any
/// non-empty segment. Trailing slashes count (<c>/a/b/</c> only matches <c>/a/b/</c>).
/// </summary>
internal sealed class UriTemplate
{
    private readonly Segment[] _segments;

    private UriTemplate(string path, Segment[] segments, string[] variables, string shape)
    {
        Path = path;
        _segments = segments;
        Variables = variables;
        Shape = shape;
    }

    /// <summary>The path as written.</summary>
    public string Path { get; }

    /// <summary>The variable names, left to right.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>
    /// The path with every variable replaced by <c>{}</c>: two templates are equivalent (a deployment error)
    /// exactly when their shapes are equal.
    /// </summary>
    public string Shape { get; }

    /// <summary>Parses and validates a path; every defect is reported in one <see cref="DeploymentException"/>.</summary>
    public static UriTemplate Parse(string path)
    {
        if (!TryParse(path, out var template, out var error))
        {
            throw new DeploymentException(error);
        }

        return template;
    }

    /// <summary>Parses and validates a path.</summary>
    public static bool TryParse(string? path, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out UriTemplate? template, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        template = null;
        if (string.IsNullOrEmpty(path))
        {
            error = "The endpoint path is empty; it must start with '/'.";
            return false;
        }

        if (path[0] != '/')
        {
            error = $"The endpoint path '{path}' does not start with '/'.";
            return false;
        }

        var raw = path[1..].Split('/');
        var segments = new Segment[raw.Length];
        var variables = new List<string>();
        var shape = new StringBuilder(path.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var text = raw[i];
            var isLast = i == raw.Length - 1;
            if (text.Length == 0 && !isLast)
            {
                error = $"The endpoint path '{path}' contains an empty segment ('//').";
                return false;
            }

            if (text is "." or "..")
            {
                error = $"The endpoint path '{path}' contains a '{text}' segment.";
                return false;
            }

            shape.Append('/');
            if (text.Length > 2 && text[0] == '{' && text[^1] == '}')
            {
                var name = text[1..^1];
                if (!IsVariableName(name))
                {
                    error = $"The endpoint path '{path}' has an invalid variable name '{name}': use letters, digits and '_'.";
                    return false;
                }

                if (variables.Contains(name))
                {
                    error = $"The endpoint path '{path}' uses the variable '{name}' more than once.";
                    return false;
                }

                variables.Add(name);
                segments[i] = new Segment(name, IsVariable: true);
                shape.Append("{}");
                continue;
            }

            if (text.AsSpan().IndexOfAny("{}?#*") >= 0)
            {
                error = $"The endpoint path '{path}' has an invalid segment '{text}': a variable must be a whole segment such as '{{name}}', and '?', '#' and '*' are not allowed.";
                return false;
            }

            segments[i] = new Segment(text, IsVariable: false);
            shape.Append(text);
        }

        template = new UriTemplate(path, segments, [.. variables], shape.ToString());
        error = null;
        return true;
    }

    private static readonly IReadOnlyDictionary<string, string> s_noValues = FrozenDictionary<string, string>.Empty;

    /// <summary>Whether <paramref name="requestPath"/> (decoded, starting with '/') is a valid expansion of this template.</summary>
    public bool IsMatch(ReadOnlySpan<char> requestPath) => Match(requestPath, values: null);

    /// <summary>Matches <paramref name="requestPath"/> and returns the variable values.</summary>
    public bool TryMatch(string requestPath, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyDictionary<string, string>? values)
    {
        var collected = new Dictionary<string, string>(Variables.Count, StringComparer.Ordinal);
        if (Match(requestPath, collected))
        {
            // A path without variables shares one empty map: the map lives as long as the session.
            values = collected.Count == 0 ? s_noValues : collected.ToFrozenDictionary(StringComparer.Ordinal);
            return true;
        }

        values = null;
        return false;
    }

    private bool Match(ReadOnlySpan<char> requestPath, Dictionary<string, string>? values)
    {
        if (requestPath.IsEmpty || requestPath[0] != '/')
        {
            return false;
        }

        var rest = requestPath[1..];
        for (var i = 0; i < _segments.Length; i++)
        {
            var isLast = i == _segments.Length - 1;
            var slash = rest.IndexOf('/');
            if (isLast != (slash < 0))
            {
                return false;   // the request has more or fewer segments
            }

            var part = isLast ? rest : rest[..slash];
            var segment = _segments[i];
            if (segment.IsVariable)
            {
                if (part.IsEmpty)
                {
                    return false;   // an empty value is never a valid expansion
                }

                values?.Add(segment.Text, part.ToString());
            }
            else if (!part.SequenceEqual(segment.Text))
            {
                return false;
            }

            if (!isLast)
            {
                rest = rest[(slash + 1)..];
            }
        }

        return true;
    }

    private static bool IsVariableName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    private readonly record struct Segment(string Text, bool IsVariable);
}
