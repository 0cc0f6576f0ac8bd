using System.Buffers.Binary;
using StackExchange.Redis;

namespace Annotated.WebSockets.Redis;

// Publishing. Requests, answers and probes go out one publish each. Messages are numbered per channel. A sender that
// waits for each publish (WaitForPublish, the default) has its message published at once, pipelined with the others
// on the connection: holding it behind another publish would cost it a second round trip (measured: 8 awaiting senders
// lost a third of their throughput so). Without waiting, messages are batched: a channel has at most one message publish
// in flight, and what is sent meanwhile waits in the channel's batch, which goes out as one envelope when that publish
// is answered (or at once, behind it, when the batch is full). One publish, one Redis round trip, one read by each
// subscriber and one wake-up per batch instead of per message.
public sealed partial class RedisBackplane
{
    // A batch goes out at once, behind the publish in flight, when it holds this many messages or this many bytes of
    // encoded messages (MaxMessageSize if less): it bounds the envelope and what one publish's callers wait for.
    private const int MaxBatchMessages = 256;
    private const int MaxBatchBytes = 64 * 1024;

    // Numbers the envelope for its channel and publishes it: at once when the sender waits for it or the channel has no
    // publish in flight, else in the channel's batch. Under the channel's lock numbers are taken and publishes handed to the connection in the same
    // order (StackExchange.Redis keeps one connection's commands in order), so order on the wire is number order; nothing
    // is awaited under it. A message that cannot be published still uses up its number: the other nodes see the gap.
    private async Task PublishNumberedAsync(RedisChannel channel, string key, byte[] envelope, CancellationToken cancellationToken)
    {
        if (_publishers.Count > MaxNumberedChannels)
        {
            _publishers.Clear();
        }

        var publisher = _publishers.GetOrAdd(key, static _ => new ChannelPublisher());
        var connected = true;
        Flight full = default, flight = default;
        Batch? batch = null;
        lock (publisher)
        {
            if (_connection is not { IsConnected: true } connection)
            {
                publisher.Last++;
                connected = false;
            }
            else if (publisher.InFlight == 0 || _options.WaitForPublish)
            {
                flight = Send(publisher, connection, channel, envelope, 1, null);
            }
            else
            {
                var size = envelope.Length - _headerSize;
                if (publisher.Pending is { } open && open.Bytes + size > _batchBytes)
                {
                    full = Send(publisher, connection, channel, open);
                }

                batch = publisher.Pending ??= new Batch();
                batch.Envelopes.Add(envelope);
                batch.Bytes += size;
                if (batch.Envelopes.Count >= MaxBatchMessages || batch.Bytes >= _batchBytes)
                {
                    flight = Send(publisher, connection, channel, batch);
                }
            }
        }

        if (!connected)
        {
            throw NotConnected(channel, 1);
        }

        if (full.Published is not null)
        {
            _ = TrackAsync(publisher, channel, full);
        }

        var tracked = flight.Published is null ? null : TrackAsync(publisher, channel, flight);
        if (_options.WaitForPublish && await (batch?.Outcome.Task ?? tracked!).WaitAsync(cancellationToken).ConfigureAwait(false) is { } error)
        {
            throw error;
        }
    }

    // Under the channel's lock: the batch goes out now, alone as a message envelope if it holds one message.
    private Flight Send(ChannelPublisher publisher, ConnectionMultiplexer connection, RedisChannel channel, Batch batch)
    {
        publisher.Pending = null;
        var messages = batch.Envelopes;
        var data = messages.Count == 1 ? messages[0] : RedisEnvelope.EncodeBatch(NodeId, 0, messages);
        return Send(publisher, connection, channel, data, messages.Count, batch);
    }

    // Under the channel's lock: numbers the envelope's messages from the channel's next number and hands it to the connection.
    private static Flight Send(ChannelPublisher publisher, ConnectionMultiplexer connection, RedisChannel channel, byte[] data, int count, Batch? batch)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(RedisEnvelope.SequenceOffset), publisher.Last + 1);
        publisher.Last += (ulong)count;
        publisher.InFlight++;
        Task<long> published;
        try
        {
            published = connection.GetSubscriber().PublishAsync(channel, data);
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            published = Task.FromException<long>(ex);
        }

        return new Flight(published, count, batch);
    }

    // Waits for one publish's answer, gives its outcome to the callers of its batch, and sends the batch that waited for
    // it. Never throws (with WaitForPublish off no one awaits it): a failure is counted, logged and returned.
    private async Task<WebSocketBackplaneException?> TrackAsync(ChannelPublisher publisher, RedisChannel channel, Flight flight)
    {
        WebSocketBackplaneException? error = null;
        try
        {
            await WaitForAnswerAsync(flight.Published!, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever the connection failed with becomes the callers' exception: the channel must not stall.
            error = PublishFailed(channel, ex, flight.Count);
        }

        flight.Batch?.Outcome.TrySetResult(error);
        Flight next = default;
        Batch? unsent = null;
        lock (publisher)
        {
            publisher.InFlight--;
            if (publisher.Pending is { } pending)
            {
                if (_connection is { IsConnected: true } connection)
                {
                    next = Send(publisher, connection, channel, pending);
                }
                else
                {
                    publisher.Pending = null;
                    publisher.Last += (ulong)pending.Envelopes.Count;
                    unsent = pending;
                }
            }
        }

        if (unsent is not null)
        {
            var failure = NotConnected(channel, unsent.Envelopes.Count);
            Log.PublishFailed(_logger, channel.ToString(), failure.Message);
            unsent.Outcome.TrySetResult(failure);
        }

        if (next.Published is not null)
        {
            _ = TrackAsync(publisher, channel, next);
        }

        return error;
    }

    // A publish of its own (requests, answers, probes): not numbered, not batched; returns how many listened.
    private async Task<long> PublishAsync(RedisChannel channel, byte[] envelope, CancellationToken cancellationToken)
    {
        var published = ConnectionOrThrow(channel).GetSubscriber().PublishAsync(channel, envelope);
        try
        {
            return await WaitForAnswerAsync(published, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw PublishFailed(channel, ex, 1);
        }
    }

    // StackExchange.Redis times the command out after PublishTimeout (its AsyncTimeout) and fails at once while
    // disconnected (FailFast); the wait here also bounds a connection that hangs.
    private Task<long> WaitForAnswerAsync(Task<long> published, CancellationToken cancellationToken) =>
        published.WaitAsync(_options.PublishTimeout + _options.PublishTimeout, _clock, cancellationToken);

    private WebSocketBackplaneException PublishFailed(RedisChannel channel, Exception ex, int messages)
    {
        Interlocked.Add(ref _publishFailures, messages);
        Log.PublishFailed(_logger, channel.ToString(), ex.Message);
        return new WebSocketBackplaneException(
            $"Publishing to Redis channel '{channel}' failed: {ex.Message} This node's own sessions got the message; the other nodes did not.", ex);
    }

    private ConnectionMultiplexer ConnectionOrThrow(RedisChannel channel) =>
        _connection is { IsConnected: true } connection ? connection : throw NotConnected(channel, 1);

    private WebSocketBackplaneException NotConnected(RedisChannel channel, int messages)
    {
        Interlocked.Add(ref _publishFailures, messages);
        return new WebSocketBackplaneException(
            $"Redis is not reachable ({Volatile.Read(ref _problem) ?? "the connection is down"}), so nothing was published on '{channel}'. This node's own sessions got the message; the other nodes did not.");
    }

    // One publishing channel's numbering and batching; its fields are touched only under its lock.
    private sealed class ChannelPublisher
    {
        // The last number used.
        public ulong Last;

        // Message publishes handed to the connection and not yet answered (more than one only behind a full batch).
        public int InFlight;

        // The messages waiting for a publish in flight; never set while none is.
        public Batch? Pending;
    }

    // Messages sent while their channel had a publish in flight: published together, and each caller gets the outcome.
    private sealed class Batch
    {
        public List<byte[]> Envelopes { get; } = [];

        public TaskCompletionSource<WebSocketBackplaneException?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Bytes { get; set; }
    }

    // One message publish handed to the connection: how many messages it carries, and whose callers wait for it (none
    // for a message sent alone: its caller awaits the tracking itself).
    private readonly record struct Flight(Task<long>? Published, int Count, Batch? Batch);
}
