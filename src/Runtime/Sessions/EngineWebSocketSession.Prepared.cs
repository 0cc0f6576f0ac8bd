using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

/// <summary>What became of a message offered to a session's send queue without waiting.</summary>
internal enum SendQueueResult
{
    /// <summary>The message has its place and will be written in queue order.</summary>
    Queued,

    /// <summary>The queue had no place (its bound is reached, or senders wait for room): nothing was queued.</summary>
    Full,

    /// <summary>The session is closed or closing (or its send queue stalled): nothing was queued.</summary>
    Closed,
}

// Prepared messages (PreparedMessage: encoded and framed once for many sessions): queued without waiting for the
// peer (a broadcast), or sent and awaited like any message.
internal sealed partial class EngineWebSocketSession
{
    private int _flushScheduled;   // 1 while a scheduled flush has not started
    private int _flushing;         // scheduled flushes in progress (a peer that stops reading holds one)

    /// <summary>
    /// Offers a prepared message to this session's send queue without waiting: it takes a place in the bounded queue
    /// at once, or returns <see cref="SendQueueResult.Full"/> (the caller applies its policy) or
    /// <see cref="SendQueueResult.Closed"/>; it never blocks and never awaits the transport. A queued message is
    /// written in queue order (FIFO with every other sender of the session, so one caller's messages arrive in the
    /// order it queued them), on this thread when the queue and the transport take it at once, otherwise when its turn
    /// comes. A failure to write it is thrown to no one: a transport failure aborts the connection, which closes the
    /// session through its usual path, and a peer that stops reading is the send watchdog's (the queued bytes count
    /// toward it, as any send's). Batching does not apply: a prepared message is never held in the batch.
    /// </summary>
    internal SendQueueResult TryQueue(PreparedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!IsOpen || _sendStalled is not null)
        {
            return SendQueueResult.Closed;
        }

        var queue = SendQueue;
        if (!queue.TryEnter(message.Length, out var turn))
        {
            return IsOpen && _sendStalled is null ? SendQueueResult.Full : SendQueueResult.Closed;
        }

        if (turn.IsCompleted)
        {
            WriteQueued(queue, message);
        }
        else
        {
            WatchSlowSend();
            _ = WriteQueuedWhenDueAsync(queue, turn, message);
        }

        return SendQueueResult.Queued;
    }

    /// <summary>
    /// Sends a prepared message and completes when it has been written, like <see cref="IBasicRemoteEndpoint.SendBinaryAsync(ReadOnlyMemory{byte}, CancellationToken)"/>:
    /// it waits for room in the queue, and fails with <see cref="IOException"/> when the session is closed or the
    /// transport fails. While batching is on the message joins the batch (copied), as any whole message does.
    /// </summary>
    internal async Task SendPreparedAsync(PreparedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureOpenForSending();
        if (_batching)
        {
            await SendWholeAsync((WebSocketMessageKind)message.Kind, message.Payload, cancellationToken).ConfigureAwait(false);
            return;
        }

        var queue = SendQueue;
        await EnterQueueAsync(queue, message.Length, cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfSendStalled();
            await CompleteSendAsync(_engine.SendPreparedAsync(message.Frame, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            _messageGate.Release();
            queue.Leave(message.Length);
        }
    }

    // The message has its place and the gate: writes it, synchronously when the transport takes it at once.
    private void WriteQueued(SendQueue queue, PreparedMessage message)
    {
        if (_sendStalled is not null)
        {
            EndQueued(queue, message.Length);
            return;
        }

        // Written now, flushed soon: the flush is scheduled (once until it runs), so what a member is sent before it
        // runs — other broadcasts, its backlog — goes out in one transport write rather than one each.
        var pending = _engine.SendPreparedAsync(message.Frame, flush: false, CancellationToken.None);
        if (!pending.IsCompleted)
        {
            WatchSlowSend();
            _ = EndQueuedAsync(queue, message.Length, pending);
            return;
        }

        try
        {
            pending.GetAwaiter().GetResult();
            Touch();
        }
        catch (Exception)
        {
            // See EndQueuedAsync.
        }

        ScheduleFlush();
        EndQueued(queue, message.Length);
    }

    private async Task WriteQueuedWhenDueAsync(SendQueue queue, Task turn, PreparedMessage message)
    {
        // The gate's wait takes no token and cannot fail; its continuation runs on a thread of its own.
        await turn.ConfigureAwait(false);
        WriteQueued(queue, message);
    }

    private async Task EndQueuedAsync(SendQueue queue, int length, ValueTask pending)
    {
        try
        {
            await pending.ConfigureAwait(false);
            Touch();
        }
        catch (Exception)
        {
            // Nobody awaits a queued message. A transport failure has aborted the connection (the receive loop ends
            // and the session closes with 1006); a closed session had its close already; a stalled queue is the
            // watchdog's, which closes the session with its code.
        }

        ScheduleFlush();
        EndQueued(queue, length);
    }

    private void EndQueued(SendQueue queue, int length)
    {
        _messageGate.Release();
        queue.Leave(length);
    }

    // A frame left unflushed is flushed by one work item per session, queued behind what the thread pool already has
    // (other sessions' broadcasts among it): it resets the flag before it flushes, so a frame written after the flush
    // began schedules the next one. Written from a receive loop's handler, the flush waits instead until that loop's
    // input runs dry (DeferredFlushes), so a burst of messages from one sender goes out in one write per member.
    private void ScheduleFlush()
    {
        if (_engine.FlushOwed && Interlocked.Exchange(ref _flushScheduled, 1) == 0)
        {
            if (DeferredFlushes.Current is { } deferred)
            {
                deferred.Add(this);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(static session => session.RunScheduledFlush(), this, preferLocal: false);
            }
        }
    }

    /// <summary>Flushes what broadcasts left in the transport's buffer (a work item's job; see <see cref="ScheduleFlush"/>).</summary>
    internal void RunScheduledFlush()
    {
        Volatile.Write(ref _flushScheduled, 0);
        Interlocked.Increment(ref _flushing);
        var flushing = _engine.FlushOwedAsync();
        if (!flushing.IsCompleted)
        {
            // A peer that stops reading holds this flush: the send watchdog sees it, as it saw a queued write.
            WatchSlowSend();
        }

        _ = EndFlushAsync(flushing);
    }

    private async Task EndFlushAsync(ValueTask flushing)
    {
        try
        {
            await flushing.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // As for a queued message (EndQueuedAsync): a transport failure has aborted the connection.
        }

        Interlocked.Decrement(ref _flushing);
    }
}
