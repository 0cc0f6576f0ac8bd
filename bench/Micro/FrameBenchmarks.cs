using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Annotated.WebSockets.Protocol;
using BenchmarkDotNet.Attributes;

namespace Annotated.WebSockets.Bench.Micro;

/// <summary>
/// Frame parse and frame write through the real engine (<see cref="WebSocketEngine"/>), one binary message per frame,
/// <see cref="FramesPerInvoke"/> frames per benchmark invocation so the per-operation time is per frame.
/// Throughput (bytes/s) is PayloadSize / Mean; docs/PERFORMANCE.md reports it in MB/s.
/// Masked parse = a server reading a client's frames (unmask + copy); masked write = a client sending (copy + mask).
/// <see cref="Parse"/> feeds the engine through a pipe reader that serves the frames in place (no transport copy; the
/// engine never writes into such memory, so a masked payload is copied out as it is unmasked);
/// <see cref="ParseStream"/> feeds it through a Stream, as the server does, so the stream's copy into the engine's own
/// 16 KiB pipe buffers is included and a masked payload within one buffer is unmasked there in place.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class FrameBenchmarks
{
    /// <summary>Frames parsed or written per invocation.</summary>
    public const int FramesPerInvoke = 64;

    private static readonly ReceivePolicy Whole = new(true, 16 * 1024 * 1024, true, 16 * 1024 * 1024);

    private ReplayPipeReader _reader = null!;
    private WebSocketEngine _receiver = null!;
    private ReplayStream _stream = null!;
    private WebSocketEngine _streamReceiver = null!;
    private WebSocketEngine _sender = null!;
    private byte[] _payload = null!;

    /// <summary>Payload bytes per frame.</summary>
    [Params(32, 1024, 64 * 1024)]
    public int PayloadSize { get; set; }

    /// <summary>Whether frames carry a masking key (client to server) or not (server to client).</summary>
    [Params(true, false)]
    public bool Masked { get; set; }

    /// <summary>Builds the frames once and the two engines.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadSize];
        RandomNumberGenerator.Fill(_payload);
        int header = FrameHeader.GetHeaderSize(PayloadSize, Masked);
        byte[] frames = new byte[FramesPerInvoke * (header + PayloadSize)];
        int maskKey = BinaryPrimitives.ReadInt32LittleEndian(RandomNumberGenerator.GetBytes(4));
        for (int i = 0, offset = 0; i < FramesPerInvoke; i++)
        {
            offset += FrameHeader.Write(frames.AsSpan(offset), fin: true, rsv1: false, WebSocketOpcode.Binary, PayloadSize, Masked ? maskKey : null);
            _payload.CopyTo(frames, offset);
            if (Masked)
            {
                Masking.Apply(frames.AsSpan(offset, PayloadSize), maskKey, 0);
            }

            offset += PayloadSize;
        }

        // A server expects masked frames, a client unmasked ones; a client masks what it sends, a server does not.
        WebSocketRole receiverRole = Masked ? WebSocketRole.Server : WebSocketRole.Client;
        WebSocketRole senderRole = Masked ? WebSocketRole.Client : WebSocketRole.Server;
        _reader = new ReplayPipeReader(frames);
        _receiver = new WebSocketEngine(new DuplexPipe(_reader, new DiscardPipeWriter(64 * 1024)), new WebSocketEngineOptions
        {
            Role = receiverRole,
            MaxFramePayloadSize = 16 * 1024 * 1024,
            MaxMessageSize = 16 * 1024 * 1024,
        });
        _stream = new ReplayStream(frames);
        _streamReceiver = new WebSocketEngine(_stream, new WebSocketEngineOptions
        {
            Role = receiverRole,
            MaxFramePayloadSize = 16 * 1024 * 1024,
            MaxMessageSize = 16 * 1024 * 1024,
        });
        _sender = new WebSocketEngine(new DuplexPipe(new ReplayPipeReader([]), new DiscardPipeWriter(256 * 1024)), new WebSocketEngineOptions
        {
            Role = senderRole,
        });
    }

    /// <summary>Parses, unmasks (when masked) and delivers whole binary messages.</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public int Parse()
    {
        _reader.Rewind();
        int total = 0;
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            ValueTask<WebSocketEvent> pending = _receiver.ReceiveAsync(Whole, CancellationToken.None);
            WebSocketEvent received = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (received.Kind != WebSocketEventKind.Binary)
            {
                throw new InvalidOperationException("Unexpected event " + received);
            }

            total += received.Payload.Length;
        }

        return total;
    }

    /// <summary>Parses, unmasks and delivers whole binary messages read from a Stream (the server's transport shape).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public int ParseStream()
    {
        _stream.Rewind();
        int total = 0;
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            ValueTask<WebSocketEvent> pending = _streamReceiver.ReceiveAsync(Whole, CancellationToken.None);
            WebSocketEvent received = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (received.Kind != WebSocketEventKind.Binary)
            {
                throw new InvalidOperationException("Unexpected event " + received);
            }

            total += received.Payload.Length;
        }

        return total;
    }

    /// <summary>Writes whole binary messages (header, copy, mask when masked, flush).</summary>
    [Benchmark(OperationsPerInvoke = FramesPerInvoke)]
    public void Write()
    {
        for (int i = 0; i < FramesPerInvoke; i++)
        {
            ValueTask pending = _sender.SendAsync(WebSocketMessageKind.Binary, _payload, endOfMessage: true, CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>Frees the engines.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _receiver.Abort();
        _streamReceiver.Abort();
        _sender.Abort();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
