using System.Diagnostics;

namespace Annotated.WebSockets.Bench.Load;

/// <summary>The last lines a child process (a server, redis-server) printed on stdout and stderr, kept for error messages.</summary>
internal sealed class OutputTail
{
    private readonly List<string> _lines = [];

    /// <summary>Drains both of the process's redirected outputs into the tail.</summary>
    public void Attach(Process process)
    {
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The last 20 lines.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            return string.Join(Environment.NewLine, _lines.TakeLast(20));
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
            if (_lines.Count > 200)
            {
                _lines.RemoveRange(0, 100);
            }
        }
    }
}
