using System.Collections.Concurrent;
using Annotated.WebSockets.Sessions;
using SessionSendQueue = Annotated.WebSockets.Sessions.SendQueue;

namespace Annotated.WebSockets.Reliability.Tests.SendQueue;

/// <summary>
/// One flooding session's outcome: how many sends the server completed and how the others failed, the most the
/// session's send queue ever held (sampled while it floods), and every OnClose.
/// </summary>
internal sealed class SendQueueFloodRecord(bool awaitEachSend, int attempts, int messageSize)
{
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly ConcurrentQueue<CloseReason> _closes = new();
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Diagnostics.Stopwatch _clock = new();
    private int _completed;
    private int _issued;
    private int _maxQueuedMessages;
    private long _maxQueuedBytes;
    private WebSocketSession? _session;

    public int Completed => Volatile.Read(ref _completed);

    /// <summary>Whether the flooding session is still open (it stops being open the moment it starts closing).</summary>
    public bool SessionIsOpen => Volatile.Read(ref _session) is not { } session || session.IsOpen;

    /// <summary>When the sends were all over and when OnClose ran, from the first send (for the test's output only).</summary>
    public TimeSpan DoneAfter { get; private set; }

    public TimeSpan ClosedAfter { get; private set; }

    public int Issued => Volatile.Read(ref _issued);

    public IReadOnlyList<Exception> Errors => [.. _errors];

    public IReadOnlyList<CloseReason> Closes => [.. _closes];

    public int MaxQueuedMessages => Volatile.Read(ref _maxQueuedMessages);

    public long MaxQueuedBytes => Interlocked.Read(ref _maxQueuedBytes);

    /// <summary>Completes when every send has completed or failed.</summary>
    public Task Done => _done.Task;

    /// <summary>Completes at the first OnClose.</summary>
    public Task ClosedTask => _closed.Task;

    public void Closed(CloseReason reason)
    {
        ClosedAfter = _clock.Elapsed;
        _closes.Enqueue(reason);
        _closed.TrySetResult();
    }

    public async Task FloodAsync(WebSocketSession session)
    {
        var text = new string('x', messageSize);
        Volatile.Write(ref _session, session);
        var queue = ((EngineWebSocketSession)session).SendQueue;
        _clock.Start();
        try
        {
            if (awaitEachSend)
            {
                // BasicRemote in a loop: one message at a time, so only the transport fills up.
                while (Issued < attempts)
                {
                    Interlocked.Increment(ref _issued);
                    var send = session.BasicRemote.SendTextAsync(text);
                    Sample(queue);
                    await Record(send);
                    if (send.IsFaulted)
                    {
                        break;
                    }
                }
            }
            else
            {
                // AsyncRemote without waiting: the queue fills up and further senders wait for room.
                var sends = new List<Task>(attempts);
                while (Issued < attempts && session.IsOpen)
                {
                    Interlocked.Increment(ref _issued);
                    sends.Add(Record(session.AsyncRemote.SendTextAsync(text)));
                    Sample(queue);
                }

                var all = Task.WhenAll(sends);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
                while (!all.IsCompleted && DateTime.UtcNow < deadline)
                {
                    Sample(queue);
                    await Task.Delay(5);
                }
            }
        }
        catch (Exception ex)
        {
            _errors.Enqueue(ex);
        }
        finally
        {
            DoneAfter = _clock.Elapsed;
            _done.TrySetResult();
        }
    }

    private async Task Record(Task send)
    {
        try
        {
            await send.WaitAsync(TimeSpan.FromSeconds(30));
            Interlocked.Increment(ref _completed);
        }
        catch (Exception ex)
        {
            _errors.Enqueue(ex);
        }
    }

    private void Sample(SessionSendQueue queue)
    {
        var messages = queue.Messages;
        var bytes = queue.Bytes;
        if (messages > Volatile.Read(ref _maxQueuedMessages))
        {
            Volatile.Write(ref _maxQueuedMessages, messages);
        }

        if (bytes > Interlocked.Read(ref _maxQueuedBytes))
        {
            Interlocked.Exchange(ref _maxQueuedBytes, bytes);
        }
    }
}
