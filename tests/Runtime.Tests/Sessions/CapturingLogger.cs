using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>A logger that keeps every entry, so a test can assert what a session logged (and that it logged nothing).</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, formatter(state, exception), exception));
}

/// <summary>One log entry: how severe, the stable event id, the text and the exception.</summary>
internal sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
