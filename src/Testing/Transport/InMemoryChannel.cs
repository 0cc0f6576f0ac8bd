namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// One direction of an in-memory connection: the bytes one end wrote and the other has not read yet. It knows what a
/// quiescence check needs: whether its reader is waiting for bytes that are not there (it has handled everything it
/// was sent). Unbounded: a write never waits.
/// </summary>
internal sealed class InMemoryChannel(ActivitySignal signal)
{
    private readonly object _lock = new();
    private readonly Queue<byte[]> _segments = new();
    private int _offset;          // into the first segment
    private long _buffered;
    private bool _completed;
    private TaskCompletionSource? _waiter;
    private int _waitingReads;    // reads waiting now (a cancelled one stops counting)

    /// <summary>
    /// Whether the reader waits for bytes and none are buffered. Once the channel has ended it never is: the reader
    /// has the end of the stream to handle, and its side says when it is done (the connection's teardown).
    /// </summary>
    public bool ReaderIdle
    {
        get
        {
            lock (_lock)
            {
                return _buffered == 0 && _waitingReads > 0 && !_completed;
            }
        }
    }

    /// <summary>The bytes written and not read yet.</summary>
    public long Buffered
    {
        get
        {
            lock (_lock)
            {
                return _buffered;
            }
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_completed)
            {
                throw new IOException("The in-memory connection is closed.");
            }

            _segments.Enqueue(data.ToArray());
            _buffered += data.Length;
            waiter = _waiter;
            _waiter = null;
        }

        signal.Changed();
        waiter?.TrySetResult();
    }

    /// <summary>Ends the channel: the reader drains what is buffered, then reads 0 (end of stream).</summary>
    public void Complete()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            waiter = _waiter;
            _waiter = null;
        }

        signal.Changed();
        waiter?.TrySetResult();
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_buffered > 0)
                {
                    return buffer.IsEmpty ? 0 : CopyLocked(buffer.Span);
                }

                if (_completed)
                {
                    return 0;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
                _waitingReads++;
            }

            // The reader now waits: for the quiescence check, it has handled everything it was sent.
            signal.Changed();
            try
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _waitingReads--;
                }

                signal.Changed();
            }
        }
    }

    private int CopyLocked(Span<byte> destination)
    {
        var copied = 0;
        while (copied < destination.Length && _segments.Count > 0)
        {
            var segment = _segments.Peek();
            var count = Math.Min(segment.Length - _offset, destination.Length - copied);
            segment.AsSpan(_offset, count).CopyTo(destination[copied..]);
            copied += count;
            _offset += count;
            if (_offset == segment.Length)
            {
                _segments.Dequeue();
                _offset = 0;
            }
        }

        _buffered -= copied;
        return copied;
    }
}
