using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Tests.Shared;

/// A frame as the raw peer read it off the engine's side of the wire (already unmasked).
internal sealed record RawFrame(bool Fin, byte Rsv, byte Opcode, bool Masked, byte[] Payload, byte[]? MaskKey = null)
{
    public ushort? CloseCode => Opcode == 8 && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : null;

    public string CloseReason => Opcode == 8 && Payload.Length > 2 ? Encoding.UTF8.GetString(Payload, 2, Payload.Length - 2) : "";
}

/// The far end of the wire played by hand: it writes frames built byte by byte (so tests can break any rule) and
/// parses what the engine writes back, independently of the engine's own FrameHeader code.
internal sealed class RawPeer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly IDuplexPipe _pipe;
    private readonly bool _masks;

    public RawPeer(IDuplexPipe pipe, bool masks)
    {
        _pipe = pipe;
        _masks = masks;
    }

    public IDuplexPipe Pipe => _pipe;

    /// An engine in <paramref name="role"/> on one end and a raw peer (masking when it plays the client) on the other.
    public static (WebSocketEngine Engine, RawPeer Peer) Create(WebSocketRole role, Func<WebSocketEngineOptions, WebSocketEngineOptions>? configure = null, PerMessageDeflateParameters? deflate = null)
    {
        var (a, b) = DuplexPipe.CreatePair();
        var options = new WebSocketEngineOptions { Role = role, Deflate = deflate, CloseTimeout = TimeSpan.FromSeconds(5) };
        options = configure?.Invoke(options) ?? options;
        return (new WebSocketEngine(a, options), new RawPeer(b, masks: role == WebSocketRole.Server));
    }

    public static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, bool? masked = null, byte rsv = 0, int lengthBytes = 0, bool masks = true)
    {
        bool mask = masked ?? masks;
        long length = payload.Length;
        int extra = lengthBytes != 0 ? lengthBytes : length <= 125 ? 0 : length <= ushort.MaxValue ? 2 : 8;
        var bytes = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        byte maskBit = mask ? (byte)0x80 : (byte)0;
        switch (extra)
        {
            case 0:
                bytes.Add((byte)(maskBit | length));
                break;
            case 2:
                bytes.Add((byte)(maskBit | 126));
                bytes.Add((byte)(length >> 8));
                bytes.Add((byte)length);
                break;
            default:
                bytes.Add((byte)(maskBit | 127));
                for (int i = 7; i >= 0; i--)
                {
                    bytes.Add((byte)(length >> (i * 8)));
                }

                break;
        }

        byte[] key = [0x37, 0xFA, 0x21, 0x3D];
        if (mask)
        {
            bytes.AddRange(key);
        }

        for (int i = 0; i < payload.Length; i++)
        {
            bytes.Add(mask ? (byte)(payload[i] ^ key[i % 4]) : payload[i]);
        }

        return bytes.ToArray();
    }

    public static byte[] ClosePayload(ushort code, string reason = "")
    {
        byte[] reasonBytes = Encoding.UTF8.GetBytes(reason);
        byte[] payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reasonBytes.CopyTo(payload, 2);
        return payload;
    }

    public byte[] Build(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool? masked = null, int lengthBytes = 0) =>
        Frame(opcode, payload, fin, masked, rsv, lengthBytes, _masks);

    public async Task WriteAsync(byte[] bytes)
    {
        await _pipe.Output.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
    }

    public Task SendAsync(byte opcode, ReadOnlySpan<byte> payload, bool fin = true, byte rsv = 0, bool? masked = null) =>
        WriteAsync(Build(opcode, payload, fin, rsv, masked));

    public Task SendTextAsync(string text, bool fin = true) => SendAsync(1, Encoding.UTF8.GetBytes(text), fin);

    public Task SendCloseAsync(ushort code, string reason = "") => SendAsync(8, ClosePayload(code, reason));

    public void CompleteOutput() => _pipe.Output.Complete();

    /// The next frame the engine wrote, or null when the engine closed the connection first.
    public async Task<RawFrame?> ReadFrameAsync()
    {
        PipeReader input = _pipe.Input;
        while (true)
        {
            ReadResult result = await input.ReadAsync().AsTask().WaitAsync(Timeout);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (TryParse(ref buffer, out RawFrame? frame))
            {
                input.AdvanceTo(buffer.Start);
                return frame;
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// Reads frames until a close frame (skipping others) and returns it; fails if the connection ends first.
    public async Task<RawFrame> ReadCloseAsync()
    {
        while (true)
        {
            RawFrame? frame = await ReadFrameAsync();
            Assert.True(frame is not null, "The engine ended the connection without sending a close frame.");
            if (frame.Opcode == 8)
            {
                return frame;
            }
        }
    }

    /// True once the engine has closed its output (the transport is closed); false if more frames came.
    public async Task<bool> IsOutputEndedAsync() => await ReadFrameAsync() is null;

    private static bool TryParse(ref ReadOnlySequence<byte> buffer, out RawFrame? frame)
    {
        frame = null;
        if (buffer.Length < 2)
        {
            return false;
        }

        byte[] head = buffer.Slice(0, Math.Min(buffer.Length, 14)).ToArray();
        bool masked = (head[1] & 0x80) != 0;
        int len7 = head[1] & 0x7F;
        int pos = 2;
        long length = len7;
        if (len7 == 126)
        {
            if (head.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(2));
            pos = 4;
        }
        else if (len7 == 127)
        {
            if (head.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(head.AsSpan(2));
            pos = 10;
        }

        int keyPos = pos;
        if (masked)
        {
            pos += 4;
        }

        if (buffer.Length < pos + length)
        {
            return false;
        }

        byte[] payload = buffer.Slice(pos, length).ToArray();
        byte[]? key = masked ? head.AsSpan(keyPos, 4).ToArray() : null;
        if (key is not null)
        {
            for (int i = 0; i < payload.Length; i++)
            {
                payload[i] ^= key[i % 4];
            }
        }

        frame = new RawFrame((head[0] & 0x80) != 0, (byte)((head[0] >> 4) & 7), (byte)(head[0] & 0xF), masked, payload, key);
        buffer = buffer.Slice(pos + length);
        return true;
    }
}
