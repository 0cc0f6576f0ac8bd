using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace Annotated.WebSockets.Protocol;

/// The engine's writer over a Stream transport (Kestrel's upgraded stream, the client's connection stream): what is
/// written between two flushes goes to one pooled array, and a flush is one Stream.WriteAsync of it. Where every write
/// reaches the peer by itself (HTTP/1.1: Kestrel's upgraded stream flushes its own pipe per write, the client's
/// connection stream writes to the socket; ManagedWebSocket relies on the same) no Stream.FlushAsync follows: the one
/// StreamPipeWriter issued per frame went through Kestrel's output lock for nothing. HTTP/2 streams buffer DATA frames,
/// so there the flush stays. The array is given back when the write has completed, so an idle connection holds no
/// send buffer, and a frame of up to FrameWriter.MaxChunkSize goes out in one write.
///
/// One writer at a time (the engine's send lock); <see cref="CancelPendingFlush"/> may come from any thread.
internal sealed class StreamFrameWriter : PipeWriter
{
    private const int MinimumBufferSize = 256;

    private readonly Stream _stream;
    private readonly bool _flushStream;
    private byte[]? _buffer;
    private int _written;
    private CancellationTokenSource? _flushCancellation;   // made at the first flush; canceled by CancelPendingFlush
    private int _cancelRequested;
    private bool _completed;

    /// <paramref name="writesReachPeer"/>: every Stream.WriteAsync is sent without a Stream.FlushAsync.
    public StreamFrameWriter(Stream stream, bool writesReachPeer)
    {
        _stream = stream;
        _flushStream = !writesReachPeer;
    }

    /// Makes room for <paramref name="size"/> more bytes in one piece, so that a frame's header and payload land in
    /// one array without regrowing.
    public void Reserve(int size) => EnsureFree(size);

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureFree(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureFree(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_written);
    }

    public override void Advance(int bytes)
    {
        if (bytes < 0 || _buffer is null || _written + bytes > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "Advanced past the memory that was handed out.");
        }

        _written += bytes;
    }

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        CancellationTokenSource cancellation = _flushCancellation ?? CreateFlushCancellation();
        if (Interlocked.Exchange(ref _cancelRequested, 0) == 1)
        {
            return new ValueTask<FlushResult>(Canceled());
        }

        if (_written == 0)
        {
            return default;
        }

        CancellationTokenRegistration registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), cancellation)
            : default;
        ValueTask write;
        try
        {
            write = _stream.WriteAsync(_buffer.AsMemory(0, _written), cancellation.Token);
        }
        catch (Exception ex)
        {
            registration.Dispose();
            return ValueTask.FromResult(Outcome(ex, cancellationToken));
        }

        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            if (!_flushStream)
            {
                registration.Dispose();
                Written(cancellation);
                return default;
            }

            try
            {
                write = new ValueTask(_stream.FlushAsync(cancellation.Token));
            }
            catch (Exception ex)
            {
                registration.Dispose();
                return ValueTask.FromResult(Outcome(ex, cancellationToken));
            }

            if (write.IsCompletedSuccessfully)
            {
                registration.Dispose();
                Written(cancellation);
                return default;
            }

            return AwaitWriteAsync(write, flushAfter: false, registration, cancellation, cancellationToken);
        }

        return AwaitWriteAsync(write, _flushStream, registration, cancellation, cancellationToken);
    }

    /// Cancels the flush in progress, or the next one if none is: it returns a result with IsCanceled set (the stream
    /// write it interrupts may have sent part of the bytes; the engine aborts the connection then).
    public override void CancelPendingFlush()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        try
        {
            Volatile.Read(ref _flushCancellation)?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Completed meanwhile: nothing left to cancel.
        }
    }

    /// Gives the buffer back; what was written but not flushed is dropped (the engine flushes every frame it
    /// finishes, so only a frame cut by a failure is left, and it must not be sent). The stream is the engine's.
    public override void Complete(Exception? exception = null)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        ReleaseBuffer();
        ResetFlushCancellation();
    }

    private async ValueTask<FlushResult> AwaitWriteAsync(
        ValueTask write, bool flushAfter, CancellationTokenRegistration registration, CancellationTokenSource cancellation, CancellationToken cancellationToken)
    {
        using (registration)
        {
            try
            {
                await write.ConfigureAwait(false);
                if (flushAfter)
                {
                    await _stream.FlushAsync(cancellation.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex)
            {
                return Outcome(ex, cancellationToken);
            }
        }

        Written(cancellation);
        return default;
    }

    private void Written(CancellationTokenSource cancellation)
    {
        ReleaseBuffer();
        if (cancellation.IsCancellationRequested)
        {
            // The caller's token fired as the write completed: the next flush gets a fresh source. A CancelPendingFlush
            // that came meanwhile is still in _cancelRequested.
            ResetFlushCancellation();
        }
    }

    // A write interrupted through our token source is a canceled flush (or the caller's cancellation, when its token
    // fired), not a transport error; the next flush gets a fresh source. The unsent bytes are dropped either way.
    private FlushResult Outcome(Exception ex, CancellationToken cancellationToken)
    {
        ReleaseBuffer();
        if (ex is OperationCanceledException && Volatile.Read(ref _flushCancellation)?.IsCancellationRequested == true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                ResetFlushCancellation();
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }

            return Canceled();
        }

        ExceptionDispatchInfo.Throw(ex);
        return default;
    }

    private FlushResult Canceled()
    {
        ReleaseBuffer();
        ResetFlushCancellation();
        Interlocked.Exchange(ref _cancelRequested, 0);
        return new FlushResult(isCanceled: true, isCompleted: false);
    }

    private void ResetFlushCancellation() => Interlocked.Exchange(ref _flushCancellation, null)?.Dispose();

    private CancellationTokenSource CreateFlushCancellation()
    {
        var created = new CancellationTokenSource();
        Interlocked.Exchange(ref _flushCancellation, created);
        return created;
    }

    private void EnsureFree(int size)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, MinimumBufferSize));
            return;
        }

        if (_buffer.Length - _written >= size)
        {
            return;
        }

        byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(_written + size, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    private void ReleaseBuffer()
    {
        _written = 0;
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
