using System.Buffers;
using System.IO.Pipelines;
using Annotated.WebSockets.Dispatch;

namespace Annotated.WebSockets.Sessions;

/// A data message that arrives in parts: the target chosen at its first part (so a handler change mid-message
/// does not split it) and, for streamed delivery, the pipe between the receive loop and the handler, which runs
/// on its own task while the message is still arriving. The pipe pauses the loop once 64 KiB are unread, so a
/// slow handler throttles the peer instead of growing memory; no message size limit applies.
internal sealed class InboundMessage(MessageHandler? handler, MessageDelivery delivery)
{
    /// Stands for a message a rate limit dropped at its first part: its other parts are dropped too.
    public static readonly InboundMessage Dropped = new(null, MessageDelivery.None);

    private Pipe? _pipe;
    private ArrayBufferWriter<byte>? _buffered;
    private Task<Exception?>? _running;

    public MessageHandler? Handler { get; } = handler;

    public MessageDelivery Delivery { get; } = delivery;

    /// Creates the pipe and returns the stream the handler reads.
    public Stream StartStream()
    {
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 64 * 1024, resumeWriterThreshold: 32 * 1024, useSynchronizationContext: false));
        return _pipe.Reader.AsStream();
    }

    /// Starts the handler on the thread pool (it may read synchronously, which must not block the receive loop).
    /// Its exception, if any, is returned by <see cref="WaitForHandlerAsync"/> so that OnError runs in sequence.
    public void Run(Func<ValueTask> handler)
    {
        var pipe = _pipe!;
        _running = Task.Run(async () =>
        {
            try
            {
                await handler().ConfigureAwait(false);
                return (Exception?)null;
            }
            catch (Exception ex)
            {
                return ex;
            }
            finally
            {
                // Whatever the handler left unread is discarded; the loop's writes then complete at once.
                await pipe.Reader.CompleteAsync().ConfigureAwait(false);
            }
        });
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        try
        {
            await _pipe!.Writer.WriteAsync(payload).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The reader completed (the handler returned early); the rest of the message is dropped.
        }
    }

    /// Collects a part for a whole-message handler that took over a message already arriving in parts.
    public void Buffer(ReadOnlySpan<byte> part) => (_buffered ??= new ArrayBufferWriter<byte>()).Write(part);

    public ReadOnlyMemory<byte> TakeBuffered() => _buffered?.WrittenMemory ?? ReadOnlyMemory<byte>.Empty;

    public void CompleteWriting(Exception? error) => _pipe!.Writer.Complete(error);

    public Task<Exception?> WaitForHandlerAsync() => _running!;
}
