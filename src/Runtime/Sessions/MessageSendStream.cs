using Annotated.WebSockets.Dispatch;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Sessions;

/// The stream behind <see cref="IBasicRemoteEndpoint.GetSendStream"/> and <see cref="IBasicRemoteEndpoint.GetSendWriter"/>:
/// it buffers up to <see cref="BufferSize"/> bytes, sends a full buffer (or a flushed one) as a non-final part, and
/// the final part when disposed. Nothing written means no message at all; an abandoned stream sends nothing more.
internal sealed class MessageSendStream(EngineWebSocketSession session, WebSocketMessageKind kind) : Stream, IAbandonableOutput
{
    public const int BufferSize = 16 * 1024;

    private readonly byte[] _buffer = new byte[BufferSize];
    private int _count;
    private bool _started;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            if (_count == _buffer.Length)
            {
                await SendBufferedAsync(isLast: false, cancellationToken).ConfigureAwait(false);
            }

            var take = Math.Min(buffer.Length, _buffer.Length - _count);
            buffer.Span[..take].CopyTo(_buffer.AsSpan(_count));
            _count += take;
            buffer = buffer[take..];
        }
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _count == 0 || _disposed ? Task.CompletedTask : SendBufferedAsync(isLast: false, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_started || _count > 0)
        {
            await SendBufferedAsync(isLast: true, CancellationToken.None).ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// Ends the stream without ending the message (its producer failed): what is buffered is dropped, and a message
    /// of which parts already went out is failed by the session, since it can never be completed honestly.
    public async ValueTask AbandonAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _count = 0;
        if (_started)
        {
            await session.AbandonPartialMessageAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private async Task SendBufferedAsync(bool isLast, CancellationToken cancellationToken)
    {
        _started = true;
        var count = _count;
        _count = 0;
        await session.SendPartAsync(kind, _buffer.AsMemory(0, count), isLast, cancellationToken).ConfigureAwait(false);
    }
}
