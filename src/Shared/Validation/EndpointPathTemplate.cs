using System.Collections.Generic;
using System.Text;

namespace Annotated.WebSockets.SourceGeneration.Validation;

/// <summary>
/// A parsed [ServerEndpoint] path: a relative URI or a level-1 URI template whose variables are whole
/// segments (spec §3.1.1). Parsing never throws; a bad path yields a <see cref="PathTemplateProblem"/> and a
/// sentence saying what is wrong, which the diagnostics quote.
/// </summary>
internal sealed class EndpointPathTemplate
{
    private EndpointPathTemplate(string path, IReadOnlyList<string> variables, string equivalenceKey)
    {
        Path = path;
        Variables = variables;
        EquivalenceKey = equivalenceKey;
    }

    /// <summary>The path as written.</summary>
    public string Path { get; }

    /// <summary>The variable names, in order of appearance.</summary>
    public IReadOnlyList<string> Variables { get; }

    /// <summary>
    /// Equal for two templates exactly when they match the same requests: the same literal segments, and
    /// variables in the same positions whatever their names (<c>/a/{x}</c> and <c>/a/{y}</c>).
    /// </summary>
    public string EquivalenceKey { get; }

    /// <summary>Parses <paramref name="path"/>; on failure <paramref name="detail"/> says why, for the message.</summary>
    public static PathTemplateProblem TryParse(string? path, out EndpointPathTemplate? template, out string detail)
    {
        template = null;
        detail = string.Empty;
        if (path is null || path.Length == 0)
        {
            return PathTemplateProblem.Empty;
        }

        if (path[0] != '/')
        {
            return PathTemplateProblem.NotRooted;
        }

        foreach (var c in path)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '?' or '#' or '\\')
            {
                detail = c is '?' or '#'
                    ? $"'{c}' starts a query or fragment, which is not part of a path"
                    : $"the character {DescribeCharacter(c)} is not allowed in a path";
                return PathTemplateProblem.Malformed;
            }
        }

        var variables = new List<string>();
        var key = new StringBuilder();
        var segments = path.Length == 1 ? [] : path.Substring(1).Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            key.Append('/');
            if (segment.Length == 0)
            {
                if (!isLast)
                {
                    detail = "it contains an empty segment ('//')";
                    return PathTemplateProblem.Malformed;
                }

                // A trailing '/' is a distinct path (spec §3.1.1: /a/b/ matches only /a/b/).
                continue;
            }

            if (segment is "." or "..")
            {
                detail = $"it contains a '{segment}' segment ('/{segment}/'), which is not allowed";
                return PathTemplateProblem.Malformed;
            }

            var open = segment.IndexOf('{');
            var close = segment.IndexOf('}');
            if (open < 0 && close < 0)
            {
                key.Append(segment);
                continue;
            }

            if (Count(segment, '{') != Count(segment, '}') || close < open)
            {
                detail = $"the braces in segment '{segment}' are unbalanced";
                return PathTemplateProblem.Malformed;
            }

            if (open != 0 || close != segment.Length - 1 || Count(segment, '{') != 1)
            {
                detail = $"the variable in segment '{segment}' is only part of the segment; a variable must be a whole segment, such as '/{{name}}/'";
                return PathTemplateProblem.Malformed;
            }

            var name = segment.Substring(1, segment.Length - 2);
            if (name.Length == 0)
            {
                detail = "it contains an empty variable '{}'; name it, such as '{room}'";
                return PathTemplateProblem.Malformed;
            }

            if (!IsVariableName(name))
            {
                detail = $"the variable name '{name}' may contain only letters, digits, '_', '-' and '.'";
                return PathTemplateProblem.Malformed;
            }

            if (variables.Contains(name))
            {
                detail = $"the variable '{{{name}}}' appears more than once";
                return PathTemplateProblem.Malformed;
            }

            variables.Add(name);
            key.Append("{}");
        }

        if (key.Length == 0)
        {
            key.Append('/');
        }

        template = new EndpointPathTemplate(path, variables, key.ToString());
        return PathTemplateProblem.None;
    }

    private static int Count(string text, char c)
    {
        var count = 0;
        foreach (var x in text)
        {
            if (x == c)
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsVariableName(string name)
    {
        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not '_' and not '-' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    private static string DescribeCharacter(char c) =>
        c == ' ' ? "' ' (space)" : char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
