using System;
using System.Text;

namespace Annotated.WebSockets.Generators.Emitting;

/// <summary>
/// Writes indented C# line by line. Lines end with <c>\n</c> on every platform so the output, and the
/// snapshot baselines, do not depend on where the generator runs.
/// </summary>
internal sealed class CodeWriter
{
    private const string IndentUnit = "    ";

    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes one line at the current indentation; an empty line gets no trailing spaces.</summary>
    public void WriteLine(string line)
    {
        if (line.Length > 0)
        {
            for (var i = 0; i < _indent; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes an empty line.</summary>
    public void WriteLine() => _builder.Append('\n');

    /// <summary>Writes <paramref name="header"/>, an opening brace, and indents what follows.</summary>
    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
    }

    /// <summary>Outdents and writes the closing brace, followed by <paramref name="suffix"/> (such as <c>);</c>).</summary>
    public void CloseBlock(string suffix = "")
    {
        if (_indent == 0)
        {
            throw new InvalidOperationException("CloseBlock without a matching OpenBlock.");
        }

        _indent--;
        WriteLine("}" + suffix);
    }

    /// <summary>Indents what follows without writing a brace (for wrapped argument lists).</summary>
    public void Indent() => _indent++;

    /// <summary>Undoes <see cref="Indent"/>.</summary>
    public void Outdent()
    {
        if (_indent == 0)
        {
            throw new InvalidOperationException("Outdent without a matching Indent.");
        }

        _indent--;
    }

    /// <summary>The text written; every block must have been closed.</summary>
    public override string ToString()
    {
        if (_indent != 0)
        {
            throw new InvalidOperationException($"The generated code ends at indentation level {_indent}; a block was left open.");
        }

        return _builder.ToString();
    }
}
