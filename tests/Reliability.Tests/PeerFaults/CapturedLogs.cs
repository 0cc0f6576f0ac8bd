using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Annotated.WebSockets.Reliability.Tests.PeerFaults;

/// <summary>
/// Collects what the runtime logs (categories under <c>Annotated.WebSockets</c>), so tests can assert that a
/// failure the spec says must be "recorded" (an error handler that throws, a coder that fails to be destroyed) was.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    /// <summary>Waits (at most 10 s) for an entry with the event id and returns it.</summary>
    public async Task<CapturedLog> WaitForAsync(int eventId, Func<CapturedLog, bool>? match = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var found = _entries.FirstOrDefault(e => e.EventId == eventId && (match?.Invoke(e) ?? true));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"No log entry with event id {eventId}; got: {string.Join(" | ", _entries.Select(e => $"{e.EventId}:{e.Message}"))}");
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        private readonly bool _captures = category.StartsWith("Annotated.WebSockets", StringComparison.Ordinal);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => _captures;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (_captures)
            {
                owner._entries.Enqueue(new CapturedLog(category, logLevel, eventId.Id, formatter(state, exception), exception));
            }
        }
    }
}

/// <summary>One log entry: where from, how severe, the stable event id, the text and the exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, int EventId, string Message, Exception? Exception);
