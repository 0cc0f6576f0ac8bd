using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Annotated.WebSockets.Testing.Transport;

/// <summary>
/// The Kestrel form of the harness's transport (the parity mode): real sockets on loopback, watched on both ends so
/// that the same quiescence rule holds. Kestrel's side of each connection is wrapped by a connection middleware
/// (<see cref="Watch"/>), the client's side by the stream its <see cref="SocketsHttpHandler"/> connects with; the two
/// are paired by the client's local port.
/// </summary>
internal sealed class KestrelTransport(ActivitySignal signal)
{
    private readonly ConcurrentDictionary<int, ServerSide> _servers = new();

    /// <summary>The connection middleware: watches what Kestrel reads and writes on each connection.</summary>
    public ConnectionDelegate Watch(ConnectionDelegate next) => async context =>
    {
        var side = new ServerSide(signal, context.Transport);
        var port = (context.RemoteEndPoint as IPEndPoint)?.Port ?? 0;
        _servers[port] = side;
        context.Transport = side;
        signal.Changed();
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            side.Done = true;
            signal.Changed();
        }
    };

    /// <summary>A new client connection: its handler connects a watched socket to <paramref name="endpoint"/>.</summary>
    public KestrelConnection Connect(IPEndPoint endpoint) => new(this, signal, endpoint);

    internal ServerSide? ServerOf(int port) => _servers.TryGetValue(port, out var side) ? side : null;

    /// <summary>Kestrel's side of one connection: counts what its reader consumed and its writer wrote.</summary>
    internal sealed class ServerSide(ActivitySignal signal, IDuplexPipe inner) : IDuplexPipe
    {
        private readonly WatchedReader _reader = new(signal, inner.Input);
        private readonly WatchedWriter _writer = new(signal, inner.Output);

        public PipeReader Input => _reader;

        public PipeWriter Output => _writer;

        public long Consumed => _reader.Consumed;

        public long Written => _writer.Written;

        public bool Waiting => _reader.Waiting;

        public volatile bool Done;
    }

    private sealed class WatchedReader(ActivitySignal signal, PipeReader inner) : PipeReader
    {
        private ReadOnlySequence<byte> _last;
        private long _consumed;
        private volatile bool _waiting;

        public long Consumed => Interlocked.Read(ref _consumed);

        public bool Waiting => _waiting;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(cancellationToken);
            if (!read.IsCompleted)
            {
                _waiting = true;
                signal.Changed();
            }

            try
            {
                var result = await read.ConfigureAwait(false);
                _last = result.Buffer;
                return result;
            }
            finally
            {
                _waiting = false;
            }
        }

        public override bool TryRead(out ReadResult result)
        {
            if (inner.TryRead(out result))
            {
                _last = result.Buffer;
                return true;
            }

            return false;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            Interlocked.Add(ref _consumed, _last.Slice(_last.Start, consumed).Length);
            _last = default;
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }

    private sealed class WatchedWriter(ActivitySignal signal, PipeWriter inner) : PipeWriter
    {
        private long _written;

        public long Written => Interlocked.Read(ref _written);

        public override void Advance(int bytes)
        {
            Interlocked.Add(ref _written, bytes);
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
            signal.Changed();
            return result;
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
    }
}

/// <summary>One client connection over Kestrel: the client's watched socket stream and, once paired, Kestrel's side.</summary>
internal sealed class KestrelConnection : ITestConnection
{
    private readonly KestrelTransport _transport;
    private readonly ActivitySignal _signal;
    private readonly IPEndPoint _endpoint;
    private WatchedClientStream? _client;
    private volatile bool _clientDone;
    private volatile bool _aborted;

    public KestrelConnection(KestrelTransport transport, ActivitySignal signal, IPEndPoint endpoint)
    {
        _transport = transport;
        _signal = signal;
        _endpoint = endpoint;
        Handler = new SocketsHttpHandler { ConnectCallback = ConnectAsync, UseProxy = false, AllowAutoRedirect = false, UseCookies = false };
    }

    /// <summary>The handler the client container sends its handshake through.</summary>
    public SocketsHttpHandler Handler { get; }

    public bool IsIdle => Sides() is (true, true);

    public bool OnlyServerBusy => Sides() is (false, true);

    // Whether each side has read all the other wrote and waits for more (or is done).
    private (bool ServerIdle, bool ClientIdle) Sides()
    {
        if (_client is not { } client)
        {
            return (true, true);   // not connected: nothing in hand
        }

        var server = _transport.ServerOf(client.LocalPort);
        // After an abort both sides have the broken connection to handle: only their end counts.
        var aborted = _aborted;
        var serverIdle = server is not null && (server.Done || (!aborted && server.Waiting && server.Consumed == client.Written));
        var clientIdle = _clientDone || (!aborted && client.Waiting && server is not null && client.BytesRead == server.Written);
        return (serverIdle, clientIdle);
    }

    public string Describe()
    {
        var client = _client;
        var server = client is null ? null : _transport.ServerOf(client.LocalPort);
        return client is null || server is null
            ? "not paired with Kestrel's connection yet"
            : $"server {(server.Done ? "done" : server.Waiting ? "waiting" : "busy")} ({client.Written - server.Consumed} bytes unread), "
                + $"client {(_clientDone ? "done" : client.Waiting ? "waiting" : "busy")} ({server.Written - client.BytesRead} bytes unread)";
    }

    public void ClientEnded()
    {
        _clientDone = true;
        _signal.Changed();
    }

    public void WriteRaw(ReadOnlySpan<byte> bytes) =>
        (_client ?? throw new InvalidOperationException("The client is not connected.")).Write(bytes);

    public void Abort()
    {
        _aborted = true;
        _client?.Dispose();
        _signal.Changed();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(_endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new WatchedClientStream(_signal, new NetworkStream(socket, ownsSocket: true), ((IPEndPoint)socket.LocalEndPoint!).Port);
        _client = stream;
        return stream;
    }

    /// <summary>The client's socket stream: counts what it wrote and read, and whether a read waits.</summary>
    private sealed class WatchedClientStream(ActivitySignal signal, NetworkStream inner, int localPort) : DuplexStream
    {
        private long _written;
        private long _read;
        private volatile bool _waiting;

        public int LocalPort => localPort;

        public long Written => Interlocked.Read(ref _written);

        public long BytesRead => Interlocked.Read(ref _read);

        public bool Waiting => _waiting;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = inner.ReadAsync(buffer, cancellationToken);
            if (!read.IsCompleted)
            {
                _waiting = true;
                signal.Changed();
            }

            try
            {
                var count = await read.ConfigureAwait(false);
                Interlocked.Add(ref _read, count);
                return count;
            }
            finally
            {
                _waiting = false;
            }
        }

        protected override void WriteCore(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Interlocked.Add(ref _written, buffer.Length);
            signal.Changed();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
