using Annotated.WebSockets.Sessions;

namespace Annotated.WebSockets.Runtime.Tests.Sessions;

/// <summary>The bound itself: who gets a place, in which order, and how waiting ends.</summary>
public class SendQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_send_with_room_enters_at_once_and_takes_the_gate()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 4, maxBytes: 100, gate);

        var entered = queue.EnterAsync(10, CancellationToken.None);

        Assert.True(entered.IsCompletedSuccessfully);
        Assert.Equal(0, gate.CurrentCount);
        Assert.Equal(1, queue.Messages);
        Assert.Equal(10, queue.Bytes);
        gate.Release();
        queue.Leave(10);
        Assert.Equal(0, queue.Messages);
        Assert.Equal(0, queue.Bytes);
    }

    [Fact]
    public async Task The_message_bound_counts_the_send_in_progress_and_those_waiting_for_their_turn()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 2, maxBytes: 1000, gate);

        var first = queue.EnterAsync(1, CancellationToken.None);
        var second = queue.EnterAsync(1, CancellationToken.None).AsTask();
        var third = queue.EnterAsync(1, CancellationToken.None).AsTask();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);    // has a place, waits for the gate
        Assert.False(third.IsCompleted);     // has no place
        Assert.Equal(2, queue.Messages);
        Assert.Equal(1, queue.Waiting);

        gate.Release();
        queue.Leave(1);
        await second.WaitAsync(Wait);
        Assert.Equal(2, queue.Messages);     // the third got the freed place
        Assert.Equal(0, queue.Waiting);
        Assert.False(third.IsCompleted);     // and waits for the gate behind the second

        gate.Release();
        queue.Leave(1);
        await third.WaitAsync(Wait);
        Assert.Equal(1, queue.Messages);
    }

    [Fact]
    public async Task The_byte_bound_holds_and_a_larger_message_enters_an_empty_queue()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 100, maxBytes: 100, gate);

        var large = queue.EnterAsync(500, CancellationToken.None);
        var small = queue.EnterAsync(10, CancellationToken.None).AsTask();

        Assert.True(large.IsCompletedSuccessfully);
        Assert.False(small.IsCompleted);
        Assert.Equal(1, queue.Waiting);
        Assert.Equal(500, queue.Bytes);

        gate.Release();
        queue.Leave(500);
        await small.WaitAsync(Wait);
        Assert.Equal(10, queue.Bytes);
    }

    [Fact]
    public async Task Senders_are_let_in_and_given_the_gate_in_arrival_order()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 100, maxBytes: 100, gate);
        Assert.True(queue.EnterAsync(60, CancellationToken.None).IsCompletedSuccessfully);

        var order = new List<int>();
        var waiting = Enumerable.Range(1, 5)
            .Select(i => Record(queue.EnterAsync(i == 1 ? 60 : 10, CancellationToken.None), i))
            .ToList();
        // Later small senders do not overtake the first one, although they would fit.
        Assert.Equal(5, queue.Waiting);

        gate.Release();
        queue.Leave(60);
        for (var i = 0; i < waiting.Count; i++)
        {
            await waiting[i].WaitAsync(Wait);
            gate.Release();
        }

        Assert.Equal([1, 2, 3, 4, 5], order);

        async Task Record(ValueTask entered, int index)
        {
            await entered;
            lock (order)
            {
                order.Add(index);
            }
        }
    }

    [Fact]
    public async Task Failing_the_queue_fails_every_waiting_sender_and_later_ones_that_would_wait()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 1, maxBytes: 100, gate);
        Assert.True(queue.EnterAsync(1, CancellationToken.None).IsCompletedSuccessfully);
        var waiters = Enumerable.Range(0, 3).Select(_ => queue.EnterAsync(1, CancellationToken.None).AsTask()).ToList();

        queue.Fail(() => new IOException("stalled"));

        foreach (var waiter in waiters)
        {
            var error = await Assert.ThrowsAsync<IOException>(() => waiter.WaitAsync(Wait));
            Assert.Equal("stalled", error.Message);
        }

        Assert.Equal(0, queue.Waiting);
        await Assert.ThrowsAsync<IOException>(() => queue.EnterAsync(1, CancellationToken.None).AsTask().WaitAsync(Wait));
        Assert.Equal(1, queue.Messages);
    }

    [Fact]
    public async Task A_cancelled_sender_gives_up_its_wait_and_the_next_one_moves_up()
    {
        var gate = new SemaphoreSlim(1, 1);
        var queue = new SendQueue(maxMessages: 1, maxBytes: 100, gate);
        Assert.True(queue.EnterAsync(1, CancellationToken.None).IsCompletedSuccessfully);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync(1, cancel.Token).AsTask();
        var next = queue.EnterAsync(1, CancellationToken.None).AsTask();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Wait));
        Assert.Equal(1, queue.Waiting);
        gate.Release();
        queue.Leave(1);
        await next.WaitAsync(Wait);
        Assert.Equal(1, queue.Messages);
        Assert.Equal(0, queue.Waiting);
    }
}
