using System.Buffers;
using System.IO.Pipelines;

namespace Annotated.WebSockets.Protocol;

/// A pipe writer for a stream whose every WriteAsync already reaches the peer (Kestrel's upgraded HTTP/1.1 stream
/// writes and flushes the connection on each write). The frames of one send are gathered in a pooled array and handed
/// to one WriteAsync on flush, without the Stream.FlushAsync that StreamPipeWriter issues after it — on Kestrel that
/// second flush wakes the connection's socket sender once more per message for nothing. The array goes back to the
/// pool after each flush, so an idle connection holds no send buffer either. Used when
/// <see cref="WebSocketEngineOptions.TransportWritesThrough"/> is set; the engine serialises all writes (one sender
/// at a time, under its send lock), so this writer is not thread-safe.
internal sealed class WriteThroughStreamPipeWriter : PipeWriter
{
    private const int MinimumBufferSize = 4096;

    private readonly Stream _stream;
    private byte[]? _buffer;
    private int _written;
    private CancellationTokenSource _cancelFlush = new();   // CancelPendingFlush (the engine's Abort) cancels the write in progress
    private volatile bool _flushCanceled;
    private volatile bool _flushing;
    private bool _completed;

    public WriteThroughStreamPipeWriter(Stream stream) => _stream = stream;

    public override void Advance(int bytes)
    {
        if ((uint)bytes > (uint)((_buffer?.Length ?? 0) - _written))
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), "Advanced past the memory that was handed out.");
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override void CancelPendingFlush()
    {
        _flushCanceled = true;
        if (_flushing)
        {
            _cancelFlush.Cancel();
        }
    }

    public override void Complete(Exception? exception = null)
    {
        _completed = true;
        if (!_flushing)
        {
            ReturnBuffer();
        }
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_flushCanceled)
        {
            _flushCanceled = false;
            return new FlushResult(isCanceled: true, isCompleted: _completed);
        }

        if (_completed)
        {
            return new FlushResult(isCanceled: false, isCompleted: true);
        }

        if (_written > 0)
        {
            CancellationTokenSource? linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cancelFlush.Token)
                : null;
            _flushing = true;
            try
            {
                await _stream.WriteAsync(_buffer.AsMemory(0, _written), linked?.Token ?? _cancelFlush.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_cancelFlush.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                _cancelFlush.Dispose();
                _cancelFlush = new CancellationTokenSource();
                _flushCanceled = false;
                return new FlushResult(isCanceled: true, isCompleted: _completed);
            }
            finally
            {
                _flushing = false;
                linked?.Dispose();
                ReturnBuffer();
            }
        }

        return new FlushResult(isCanceled: false, isCompleted: false);
    }

    private void EnsureCapacity(int sizeHint)
    {
        if (_completed)
        {
            throw new InvalidOperationException("Writing is complete.");
        }

        int needed = Math.Max(sizeHint, 1);
        if (_buffer is not null && _buffer.Length - _written >= needed)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBufferSize, _written + needed));
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = larger;
    }

    private void ReturnBuffer()
    {
        _written = 0;
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
