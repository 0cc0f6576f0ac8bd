// Why this engine is ours and not System.Net.WebSockets.WebSocket (see /DESIGN.md, "Why our own protocol engine"):
// the framework's WebSocket answers pings itself and swallows pongs, so it can neither send a ping with an
// application payload nor deliver a received pong, both of which Jakarta WebSocket requires (sendPing, sendPong,
// @OnMessage(PongMessage), and 2.2's rule on who answers pings). This engine does the RFC 6455 framing (and
// RFC 7692 permessage-deflate) itself over the duplex stream that Kestrel upgrades (HTTP/1.1 upgrade or HTTP/2
// extended CONNECT) or that SocketsHttpHandler returns for a 101, through System.IO.Pipelines. It knows nothing of
// endpoints, sessions or ASP.NET Core.
//
// The engine is split by concern: this file holds construction, state, closing and teardown;
// WebSocketEngine.Receive.cs the single-reader receive loop; WebSocketEngine.Send.cs the serialised senders.

using System.IO.Pipelines;
using System.Text;

namespace Annotated.WebSockets.Protocol;

/// One WebSocket connection after the opening handshake. One reader calls <see cref="ReceiveAsync"/> in a loop;
/// any number of callers send. Protocol violations and transport failures never throw out of the receive loop:
/// they end as a Close event (with Error set), after the engine sent the right close code where it could.
internal sealed partial class WebSocketEngine : IAsyncDisposable
{
    private readonly WebSocketEngineOptions _options;
    private readonly Stream? _stream;
    private readonly PipeReader _input;
    /// <summary>Told about every frame read and written, for the message and byte metrics; null while nobody listens.</summary>
    internal Diagnostics.WireTraffic? Traffic { get; set; }

    private readonly PipeWriter _output;
    private readonly bool _isClient;
    // True when _input is the StreamPipeReader this engine made over a Stream: its buffers are rented by it, filled
    // by copies from the stream and seen by nobody else, so a masked payload may be unmasked in place there
    // (WebSocketEngine.Receive.cs, ReadFrame). A caller's IDuplexPipe may serve memory it still uses: never written.
    private readonly bool _ownsInputBuffers;
    private int _state;                 // WebSocketEngineState; written under _sendLock or by the receive loop's end
    private int _aborted;
    private int _disposed;
    private int _receiveActive;
    private volatile bool _closeTimedOut;
    private ITimer? _closeTimer;   // armed only while a close we sent waits for the peer's

    // Shared by every connection (the pipes keep a reference to them: one copy each per connection otherwise).
    private static readonly StreamPipeReaderOptions s_readerOptions = new(bufferSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true);

    // Zero-byte reads: the reader waits for data with an empty read before it rents a buffer, so an idle connection
    // (almost all of them, most of the time) holds no 16 KiB receive buffer while its read is pending. Kestrel's
    // upgraded and HTTP/2 streams and NetworkStream complete a zero-byte read when data arrives. See docs/PERFORMANCE.md.
    public WebSocketEngine(Stream transport, WebSocketEngineOptions options)
        : this(
            options,
            PipeReader.Create(transport ?? throw new ArgumentNullException(nameof(transport)), s_readerOptions),
            new StreamFrameWriter(transport, options?.WritesReachPeer ?? false),
            transport)
    {
    }

    public WebSocketEngine(IDuplexPipe transport, WebSocketEngineOptions options)
        : this(
            options,
            (transport ?? throw new ArgumentNullException(nameof(transport))).Input,
            transport.Output,
            null)
    {
    }

    private WebSocketEngine(WebSocketEngineOptions options, PipeReader input, PipeWriter output, Stream? stream)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _input = input;
        _output = output;
        _stream = stream;
        _ownsInputBuffers = stream is not null;
        _isClient = options.Role == WebSocketRole.Client;
        if (options.Deflate is { } deflate)
        {
            PerMessageDeflateOptions tuning = options.DeflateOptions ?? new PerMessageDeflateOptions();
            bool sendNoContext = _isClient ? deflate.ClientNoContextTakeover : deflate.ServerNoContextTakeover;
            bool receiveNoContext = _isClient ? deflate.ServerNoContextTakeover : deflate.ClientNoContextTakeover;
            int sendWindowBits = _isClient ? deflate.ClientMaxWindowBits : deflate.ServerMaxWindowBits;
            _compressor = new PerMessageDeflateCompressor(sendNoContext, tuning.CompressionLevel, sendWindowBits);
            _decompressor = new PerMessageDeflateDecompressor(receiveNoContext);
            _compressionThreshold = tuning.CompressionThreshold;
        }
    }

    public WebSocketEngineState State => (WebSocketEngineState)Volatile.Read(ref _state);

    public WebSocketRole Role => _options.Role;

    /// True when the last event delivered part of a frame whose payload has not all arrived (partial delivery of a
    /// frame still being received). The session counts only complete frames as activity for its idle timeout, so a
    /// peer trickling one frame byte by byte does not keep an idle session open.
    public bool IsInsideFrame => _inFrame;

    /// Ends the connection at once, without a close frame: pending reads and flushes are cancelled and the
    /// transport is disposed. A receive in progress then returns a Close event with 1006.
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) == 1)
        {
            return;
        }

        int state = Volatile.Read(ref _state);
        if (state != (int)WebSocketEngineState.Closed)
        {
            Interlocked.CompareExchange(ref _state, (int)WebSocketEngineState.Aborted, state);
        }

        try
        {
            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }
        catch (ObjectDisposedException)
        {
            // The receive loop completed the pipes meanwhile (the connection ended on its own): nothing to cancel.
        }

        try
        {
            _stream?.Dispose();
        }
        catch (Exception)
        {
            // Disposing a transport that already failed may throw; the connection is gone either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Once the receive loop has produced its Close event the transport is completed (or being completed)
        // by the loop itself; aborting then would only cancel reads and flushes on finished pipes.
        if (_closeEvent is null)
        {
            Abort();
        }

        _closeTimer?.Dispose();
        if (Interlocked.CompareExchange(ref _receiveActive, 1, 0) == 0)
        {
            // No receive in progress (and none may start: _receiveActive stays set): the reader is ours to free.
            if (_closeEvent is null)
            {
                await CompleteTransportAsync().ConfigureAwait(false);
            }

            ReleaseReceiveBuffers();
        }
    }

    /// Sends the close frame (after validating the code) and moves to CloseSent; the caller keeps receiving until
    /// the peer's close arrives or <see cref="WebSocketEngineOptions.CloseTimeout"/> passes (then the transport is
    /// aborted and the receive reports 1006). Idempotent: does nothing once a close frame was sent or received.
    public async ValueTask CloseOutputAsync(ushort code, string? reason, CancellationToken cancellationToken)
    {
        if (!CloseStatusCodes.IsValidOnWire(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "The close code is not one that may be sent on the wire.");
        }

        byte[] reasonBytes = EncodeReason(reason);
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (State != WebSocketEngineState.Open)
            {
                return;
            }

            Volatile.Write(ref _state, (int)WebSocketEngineState.CloseSent);
            _closeTimer = _options.TimeProvider.CreateTimer(static s => ((WebSocketEngine)s!).OnCloseTimeout(), this, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
            await WriteCloseFrameAsync(code, reasonBytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static byte[] EncodeReason(string? reason)
    {
        if (string.IsNullOrEmpty(reason))
        {
            return [];
        }

        byte[] bytes = Encoding.UTF8.GetBytes(reason);
        if (bytes.Length > 123)
        {
            throw new ArgumentException("The close reason must be at most 123 bytes of UTF-8.", nameof(reason));
        }

        return bytes;
    }

    /// A reason for a close the engine itself sends (a protocol failure): the rule broken, cut to 123 bytes on a
    /// character boundary.
    private static byte[] TruncateReason(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= 123)
        {
            return bytes;
        }

        int length = 123;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
        {
            length--;
        }

        return bytes.AsSpan(0, length).ToArray();
    }

    private void OnCloseTimeout()
    {
        if (State == WebSocketEngineState.CloseSent)
        {
            _closeTimedOut = true;
            Abort();
        }
    }

    /// Closes both directions of the transport once the connection is over (called by the receive loop, or by
    /// DisposeAsync when nobody receives). Writers stuck on a full transport are released first.
    private async ValueTask CompleteTransportAsync()
    {
        _closeTimer?.Dispose();
        try
        {
            await _input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Completing a failed reader can rethrow its failure; nothing more to do with it.
        }

        bool locked = _sendLock.Wait(0);
        if (!locked)
        {
            _output.CancelPendingFlush();
            using var timeout = new CancellationTokenSource(_options.CloseTimeout, _options.TimeProvider);
            try
            {
                await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                locked = true;
            }
            catch (OperationCanceledException)
            {
                // A writer still holds the lock after the close timeout: the output is left to the transport's disposal.
            }
        }

        if (locked)
        {
            try
            {
                await _output.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // As above: the writer may already have failed with the transport.
            }
            finally
            {
                _compressor?.Dispose();
                _sendLock.Release();
            }
        }

        try
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // The transport may be gone already.
        }
    }
}
