using System.Diagnostics.CodeAnalysis;

namespace Annotated.WebSockets.Sessions;

/// The bound of one session's outgoing queue: how many messages, and how many of their bytes, have been accepted for
/// sending and are not yet written (the one being written counts, and so do those waiting for their turn). A sender
/// that finds no room waits here, in arrival order, holding none of the runtime's buffers: its payload is encoded or
/// copied only once it has a place, so what the runtime holds per session stays bounded however many senders call in.
/// A message larger than the byte bound is let in when the queue is empty, so that it can be sent at all.
/// A sender let in also queues at once for the session's message gate (held while a message is written), so messages
/// are written in the order their senders arrived, whichever thread runs each continuation.
/// Uncontended, entering and leaving are a few interlocked operations and allocate nothing; only a sender that has to
/// wait allocates (its waiter) and takes the lock.
internal sealed class SendQueue
{
    private readonly SemaphoreSlim _gate;
    private readonly int _maxMessages;
    private readonly long _maxBytes;
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();   // guarded by _lock, oldest first
    private long _bytes;
    private int _messages;
    private int _waiting;                                   // _waiters.Count, readable without the lock
    private Func<Exception>? _failure;                      // set once, under _lock

    public SendQueue(int maxMessages, long maxBytes, SemaphoreSlim gate)
    {
        _gate = gate;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxMessages = maxMessages;
        _maxBytes = maxBytes;
    }

    /// Messages that hold a place (being written or waiting for their turn).
    public int Messages => Volatile.Read(ref _messages);

    /// The bytes of those messages.
    public long Bytes => Interlocked.Read(ref _bytes);

    /// The session's instruments for the queued bytes and waiting senders; null while nobody listens.
    public SessionTelemetry? Telemetry { get; set; }

    /// Senders waiting for room.
    public int Waiting => Volatile.Read(ref _waiting);

    /// Takes a place for a message of <paramref name="bytes"/> bytes, then the message gate: completes when the sender
    /// may write (the caller releases the gate, and gives the place back with <see cref="Leave"/>). Completes at once
    /// when there is room, nobody waits before this sender and the gate is free. Fails with the error given to
    /// <see cref="Fail"/>, or is cancelled by <paramref name="cancellationToken"/>; then it holds neither.
    public ValueTask EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _waiting) == 0 && TryReserve(bytes))
        {
            var turn = _gate.WaitAsync(cancellationToken);
            return turn.IsCompletedSuccessfully ? default : AwaitTurnAsync(turn, bytes);
        }

        return WaitAsync(bytes, cancellationToken);
    }

    /// Takes a place for a message of <paramref name="bytes"/> bytes if there is one now, without waiting: false when
    /// the queue is full, when senders already wait for room (they came first, and a place taken past them would
    /// reorder their messages), or once the queue has failed. When true, <paramref name="turn"/> is the wait for the
    /// message gate, queued at once behind the senders let in before (completed when the gate was free); the caller
    /// then writes, releases the gate and gives the place back with <see cref="Leave"/>, as after
    /// <see cref="EnterAsync"/>.
    public bool TryEnter(long bytes, [NotNullWhen(true)] out Task? turn)
    {
        if (Volatile.Read(ref _waiting) != 0 || Volatile.Read(ref _failure) is not null || !TryReserve(bytes))
        {
            turn = null;
            return false;
        }

        turn = _gate.WaitAsync(CancellationToken.None);
        return true;
    }

    /// Takes a place without waiting: for the next part of a message that is already being sent (it must not wait
    /// behind the messages that wait for it), and for control frames. At most one such place per flow, so the bound
    /// is exceeded by at most one part.
    public void ForceEnter(long bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
        Telemetry?.QueuedBytesChanged(bytes);
    }

    /// Gives back the place taken for a message of <paramref name="bytes"/> bytes and lets waiting senders in.
    public void Leave(long bytes)
    {
        Interlocked.Add(ref _bytes, -bytes);
        Telemetry?.QueuedBytesChanged(-bytes);
        Interlocked.Decrement(ref _messages);
        if (Volatile.Read(ref _waiting) != 0)
        {
            lock (_lock)
            {
                AdmitWaitersLocked();
            }
        }
    }

    /// Fails every waiting sender, and every later one that would have to wait, with an exception from
    /// <paramref name="error"/> (one each: an exception thrown to several callers would share a stack trace).
    public void Fail(Func<Exception> error)
    {
        List<Waiter> failed;
        lock (_lock)
        {
            _failure ??= error;
            failed = [.. _waiters];
            _waiters.Clear();
            Volatile.Write(ref _waiting, 0);
            Telemetry?.WaitingChanged(-failed.Count);
        }

        foreach (var waiter in failed)
        {
            waiter.TrySetException(error());
        }
    }

    private async ValueTask AwaitTurnAsync(Task turn, long bytes)
    {
        try
        {
            await turn.ConfigureAwait(false);
        }
        catch
        {
            Leave(bytes);
            throw;
        }
    }

    private async ValueTask WaitAsync(long bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new Waiter(bytes, cancellationToken);
        lock (_lock)
        {
            if (_failure is { } failure)
            {
                throw failure();
            }

            // Registered before trying again: a sender that leaves meanwhile either sees this waiter or its place is
            // already free for the attempt below.
            waiter.Node = _waiters.AddLast(waiter);
            Interlocked.Increment(ref _waiting);
            Telemetry?.WaitingChanged(1);
            AdmitWaitersLocked();
        }

        if (cancellationToken.CanBeCanceled && !waiter.Task.IsCompleted)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(
                static (state, token) => ((SendQueue)((object[])state!)[0]).Cancel((Waiter)((object[])state)[1], token),
                new object[] { this, waiter });
        }

        try
        {
            await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            waiter.Registration.Dispose();
        }

        await AwaitTurnAsync(waiter.Turn!, bytes).ConfigureAwait(false);
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;   // admitted or failed meanwhile
            }

            _waiters.Remove(waiter.Node);
            Interlocked.Decrement(ref _waiting);
            Telemetry?.WaitingChanged(-1);
            // The senders behind it may fit now.
            AdmitWaitersLocked();
        }

        waiter.TrySetCanceled(token);
    }

    // Oldest first, and none past one that does not fit, so that a caller's messages keep their order.
    private void AdmitWaitersLocked()
    {
        while (_waiters.First is { } first && TryReserve(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            Interlocked.Decrement(ref _waiting);
            Telemetry?.WaitingChanged(-1);
            // Queued for the gate here, under the lock, so the gate sees senders in the order they were let in.
            first.Value.Turn = _gate.WaitAsync(first.Value.CancellationToken);
            first.Value.TrySetResult();
        }
    }

    // Compare-and-swap rather than add-then-undo, so that the counts never show more than the bound, even for a moment.
    private bool TryReserve(long bytes)
    {
        int before;
        do
        {
            before = Volatile.Read(ref _messages);
            if (before >= _maxMessages)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _messages, before + 1, before) != before);

        long queued;
        do
        {
            queued = Interlocked.Read(ref _bytes);
            if (queued + bytes > _maxBytes && before != 0)
            {
                Interlocked.Decrement(ref _messages);
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _bytes, queued + bytes, queued) != queued);

        Telemetry?.QueuedBytesChanged(bytes);
        return true;
    }

    // A sender waiting for room; its continuation runs elsewhere so that the sender that lets it in is not held.
    private sealed class Waiter(long bytes, CancellationToken cancellationToken) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public long Bytes { get; } = bytes;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// The wait for the message gate, started when the sender was let in.
        public Task? Turn { get; set; }

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
