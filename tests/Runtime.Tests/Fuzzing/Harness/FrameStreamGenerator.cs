using System.IO.Compression;
using System.Text;
using Annotated.WebSockets.Protocol;

namespace Annotated.WebSockets.Runtime.Tests.Fuzzing;

/// Seeded hostile-input generator for the engine's receive side. Each seed gives one byte stream as a peer would
/// send it: pure noise, or a plausible conversation (text, binary, fragments, pings, compressed messages) with
/// zero or more targeted mutations (bit flips in headers, reserved opcodes/RSV bits, mask mismatches, 64-bit
/// lengths with the MSB set, huge declared lengths, fragmented control frames, continuation misuse, invalid
/// UTF-8, 1-byte or invalid close frames, random bytes with RSV1, decompression bombs, truncation).
/// Frames are encoded here, independently of the engine's own writer, so a bug there cannot hide one here.
internal static class FrameStreamGenerator
{
    public const int MaxFramePayloadSize = 64 * 1024;
    public const long MaxMessageSize = 256 * 1024;

    private static readonly ushort[] ValidCloseCodes = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999];
    private static readonly ushort[] InvalidCloseCodes = [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535];

    // Built once: 16 MiB of zeros compress to ~16 KiB; with a 256 KiB message limit this is a 64x bomb.
    private static readonly Lazy<byte[]> Bomb = new(() => Compress(new byte[16 * 1024 * 1024]));

    /// The engine options a case runs under.
    public static WebSocketEngineOptions CreateOptions(FuzzCase fuzzCase) => new()
    {
        Role = fuzzCase.Role,
        MaxFramePayloadSize = MaxFramePayloadSize,
        MaxMessageSize = MaxMessageSize,
        Deflate = fuzzCase.Deflate ? new PerMessageDeflateParameters() : null,
        CloseTimeout = TimeSpan.FromSeconds(1),
    };

    public static FuzzCase Generate(int seed)
    {
        var random = new Random(seed);
        WebSocketRole role = random.Next(4) == 0 ? WebSocketRole.Client : WebSocketRole.Server;
        bool deflate = random.Next(3) == 0;
        bool partial = random.Next(3) == 0;
        if (random.Next(12) == 0)
        {
            byte[] noise = new byte[random.Next(0, 512)];
            random.NextBytes(noise);
            return new FuzzCase(seed, role, deflate, partial, noise, null, "noise");
        }

        var writer = new Writer(random, role, deflate);
        int mutations = random.Next(3) == 0 ? 0 : random.Next(1, 4);
        var kinds = new List<string>();
        int frames = random.Next(1, 8);
        for (int i = 0; i < frames; i++)
        {
            if (mutations > 0 && random.Next(frames - i) == 0)
            {
                mutations--;
                kinds.Add(WriteHostile(random, writer));
            }
            else
            {
                WriteValid(random, writer);
            }
        }

        ushort? expected = null;
        if (random.Next(5) != 0)
        {
            ushort code = random.Next(4) == 0 ? (ushort)0 : ValidCloseCodes[random.Next(ValidCloseCodes.Length)];
            byte[] closePayload = code == 0 ? [] : ClosePayload(code, RandomReason(random, 40));
            writer.Frame(true, 0, WebSocketOpcode.Close, closePayload);
            expected = code == 0 ? CloseStatusCodes.NoStatusReceived : code;
        }
        else
        {
            expected = CloseStatusCodes.AbnormalClosure;
        }

        byte[] input = writer.ToArray();
        if (kinds.Count > 0 || writer.Mutated)
        {
            expected = null;
        }

        if (random.Next(10) == 0 && input.Length > 0)
        {
            // Truncation anywhere, including inside a header.
            input = input.AsSpan(0, random.Next(input.Length)).ToArray();
            kinds.Add("truncated");
            expected = null;
        }

        if (random.Next(10) == 0 && input.Length > 0)
        {
            int flips = random.Next(1, 4);
            for (int i = 0; i < flips; i++)
            {
                input[random.Next(input.Length)] ^= (byte)(1 << random.Next(8));
            }

            kinds.Add("bitflip");
            expected = null;
        }

        return new FuzzCase(seed, role, deflate, partial, input, expected, kinds.Count == 0 ? "valid" : string.Join('+', kinds));
    }

    /// A conversation step the engine must accept: a whole or fragmented data message within the limits, or a
    /// ping/pong with up to 125 bytes.
    private static void WriteValid(Random random, Writer writer)
    {
        switch (random.Next(6))
        {
            case 0:
                writer.Frame(true, 0, random.Next(2) == 0 ? WebSocketOpcode.Ping : WebSocketOpcode.Pong, RandomBytes(random, random.Next(126)));
                break;
            case 1:
            case 2:
                writer.Message(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(RandomText(random, random.Next(0, 300))), random.Next(1, 4));
                break;
            default:
                writer.Message(WebSocketOpcode.Binary, RandomBytes(random, random.Next(0, random.Next(2) == 0 ? 200 : 20_000)), random.Next(1, 4));
                break;
        }
    }

    private static string WriteHostile(Random random, Writer writer)
    {
        switch (random.Next(17))
        {
            case 0:
                writer.Frame(true, 0, (WebSocketOpcode)new[] { 3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF }[random.Next(10)], RandomBytes(random, random.Next(10)));
                return "reserved-opcode";
            case 1:
                writer.Frame(true, (byte)random.Next(1, 8), WebSocketOpcode.Binary, RandomBytes(random, random.Next(10)));
                return "rsv";
            case 2:
                writer.Frame(true, 0, WebSocketOpcode.Binary, RandomBytes(random, random.Next(10)), flipMask: true);
                return "mask-mismatch";
            case 3:
                // 64-bit length with the most significant bit set (RFC 6455 §5.2 forbids it).
                writer.RawHeader(0x82, 127, 0x8000_0000_0000_0000UL | (ulong)random.NextInt64());
                writer.Raw(RandomBytes(random, random.Next(20)));
                return "length-msb";
            case 4:
                // A huge but legal declared length: must fail on the header (1009), never allocate it.
                writer.RawHeader(random.Next(2) == 0 ? (byte)0x82 : (byte)0x81, 127, (ulong)random.NextInt64(MaxFramePayloadSize + 1L, long.MaxValue));
                writer.Raw(RandomBytes(random, random.Next(20)));
                return "huge-length";
            case 5:
                // Non-minimal length encodings and lengths longer than the bytes that follow.
                writer.RawHeader(0x82, random.Next(2) == 0 ? 126 : 127, (ulong)random.Next(0, 70_000));
                writer.Raw(RandomBytes(random, random.Next(100)));
                return "length-mismatch";
            case 6:
                writer.Frame(false, 0, (WebSocketOpcode)(0x8 + random.Next(3)), RandomBytes(random, random.Next(10)));
                return "fragmented-control";
            case 7:
                writer.Frame(random.Next(2) == 0, 0, WebSocketOpcode.Continuation, RandomBytes(random, random.Next(10)));
                return "orphan-continuation";
            case 8:
                writer.Frame(false, 0, WebSocketOpcode.Text, Encoding.UTF8.GetBytes("ab"));
                writer.Frame(true, 0, WebSocketOpcode.Binary, RandomBytes(random, 3));
                return "data-inside-fragmented";
            case 9:
                writer.Message(WebSocketOpcode.Text, InvalidUtf8(random), random.Next(1, 3));
                return "invalid-utf8";
            case 10:
                writer.Frame(true, 0, WebSocketOpcode.Close, [(byte)random.Next(256)]);
                return "close-1-byte";
            case 11:
                writer.Frame(true, 0, WebSocketOpcode.Close, ClosePayload(InvalidCloseCodes[random.Next(InvalidCloseCodes.Length)], ""));
                return "close-invalid-code";
            case 12:
                byte[] badReason = [0x03, 0xE8, 0xC3, 0x28];
                writer.Frame(true, 0, WebSocketOpcode.Close, badReason);
                return "close-invalid-reason";
            case 13:
                writer.Frame(true, 0, WebSocketOpcode.Ping, RandomBytes(random, random.Next(126, 300)));
                return "control-too-long";
            case 14:
                // Random bytes claiming to be compressed (RSV1): garbage to the inflater.
                writer.Frame(true, 0b100, random.Next(2) == 0 ? WebSocketOpcode.Text : WebSocketOpcode.Binary, RandomBytes(random, random.Next(1, 200)));
                return "rsv1-garbage";
            case 15:
                // A decompression bomb, whole or fragmented into frames under the frame limit.
                writer.CompressedMessage(random.Next(2) == 0 ? WebSocketOpcode.Binary : WebSocketOpcode.Text, Bomb.Value, random.Next(1, 4));
                return "bomb";
            default:
                writer.Frame(true, 0, WebSocketOpcode.Binary, RandomBytes(random, random.Next(MaxFramePayloadSize + 1, MaxFramePayloadSize + 100)));
                return "frame-too-big";
        }
    }

    private static byte[] ClosePayload(ushort code, string reason)
    {
        byte[] reasonBytes = Encoding.UTF8.GetBytes(reason);
        byte[] payload = new byte[2 + reasonBytes.Length];
        payload[0] = (byte)(code >> 8);
        payload[1] = (byte)code;
        reasonBytes.CopyTo(payload, 2);
        return payload;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    // Mixed 1- to 4-byte code points so fragment boundaries land inside sequences.
    private static string RandomText(Random random, int codePoints)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < codePoints; i++)
        {
            int kind = random.Next(4);
            int value = kind switch
            {
                0 => random.Next(0x20, 0x7F),
                1 => random.Next(0x80, 0x800),
                2 => random.Next(0xE000, 0x10000),
                _ => random.Next(0x10000, 0x110000),
            };
            builder.Append(char.ConvertFromUtf32(value));
        }

        return builder.ToString();
    }

    // A reason that fits a close frame (at most 123 bytes) whatever the code points.
    private static string RandomReason(Random random, int max)
    {
        string text = RandomText(random, random.Next(0, max / 4));
        return text;
    }

    private static byte[] InvalidUtf8(Random random)
    {
        byte[][] bad =
        [
            [0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0x28], [0xED, 0xA0, 0x80],
            [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0xE2, 0x82],
        ];
        byte[] prefix = Encoding.UTF8.GetBytes(RandomText(random, random.Next(0, 20)));
        byte[] pick = bad[random.Next(bad.Length)];
        byte[] suffix = random.Next(2) == 0 ? [] : Encoding.UTF8.GetBytes(RandomText(random, random.Next(0, 20)));
        return [.. prefix, .. pick, .. suffix];
    }

    private static byte[] Compress(byte[] data)
    {
        // Sync-flushed, not finished: the message form of RFC 7692 (the 00 00 FF FF tail is stripped).
        using var output = new MemoryStream();
        using var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true);
        deflate.Write(data);
        deflate.Flush();
        byte[] bytes = output.ToArray();
        return bytes.Length >= 4 ? bytes.AsSpan(0, bytes.Length - 4).ToArray() : bytes;
    }

    /// Encodes frames the way a peer of the other role would (masked toward a server, unmasked toward a client),
    /// compressing valid messages with one DeflateStream per connection (context takeover, sync-flush tails
    /// stripped) when deflate is negotiated.
    private sealed class Writer(Random random, WebSocketRole role, bool deflate)
    {
        private readonly MemoryStream _output = new();
        private readonly bool _mask = role == WebSocketRole.Server;
        private MemoryStream? _compressed;
        private DeflateStream? _deflater;

        public bool Mutated { get; private set; }

        public byte[] ToArray() => _output.ToArray();

        public void Message(WebSocketOpcode opcode, byte[] payload, int fragments)
        {
            // Empty compressed messages are left out of the valid class: they trip a known engine bug
            // (KnownEngineBugTests) that would turn every later oracle check into noise.
            if (deflate && payload.Length > 0 && random.Next(2) == 0)
            {
                _compressed ??= new MemoryStream();
                _deflater ??= new DeflateStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
                _compressed.SetLength(0);
                _deflater.Write(payload);
                _deflater.Flush();
                byte[] bytes = _compressed.ToArray();
                if (bytes.Length >= 4 && bytes.AsSpan(bytes.Length - 4).SequenceEqual(new byte[] { 0, 0, 0xFF, 0xFF }))
                {
                    bytes = bytes.AsSpan(0, bytes.Length - 4).ToArray();
                }

                CompressedMessage(opcode, bytes, fragments);
                return;
            }

            Fragments(opcode, 0, payload, fragments);
        }

        public void CompressedMessage(WebSocketOpcode opcode, byte[] compressed, int fragments)
        {
            if (!deflate)
            {
                Mutated = true;
            }

            fragments = Math.Max(fragments, (compressed.Length + MaxFramePayloadSize - 1) / MaxFramePayloadSize);
            Fragments(opcode, 0b100, compressed, fragments);
        }

        private void Fragments(WebSocketOpcode opcode, byte rsv, byte[] payload, int fragments)
        {
            int size = Math.Max(1, (payload.Length + fragments - 1) / fragments);
            int offset = 0;
            bool first = true;
            do
            {
                int n = Math.Min(size, payload.Length - offset);
                bool fin = offset + n >= payload.Length;
                Frame(fin, first ? rsv : (byte)0, first ? opcode : WebSocketOpcode.Continuation, payload.AsSpan(offset, n).ToArray());
                if (!fin && random.Next(4) == 0)
                {
                    // Control frames may be interleaved between fragments.
                    Frame(true, 0, WebSocketOpcode.Ping, RandomBytes(random, random.Next(10)));
                }

                offset += n;
                first = false;
            }
            while (offset < payload.Length);
        }

        public void Frame(bool fin, byte rsv, WebSocketOpcode opcode, byte[] payload, bool flipMask = false)
        {
            bool mask = _mask ^ flipMask;
            Mutated |= flipMask;
            byte first = (byte)((fin ? 0x80 : 0) | (rsv << 4) | (byte)opcode);
            _output.WriteByte(first);
            byte maskBit = mask ? (byte)0x80 : (byte)0;
            if (payload.Length < 126)
            {
                _output.WriteByte((byte)(maskBit | payload.Length));
            }
            else if (payload.Length <= ushort.MaxValue)
            {
                _output.WriteByte((byte)(maskBit | 126));
                _output.WriteByte((byte)(payload.Length >> 8));
                _output.WriteByte((byte)payload.Length);
            }
            else
            {
                _output.WriteByte((byte)(maskBit | 127));
                for (int shift = 56; shift >= 0; shift -= 8)
                {
                    _output.WriteByte((byte)((long)payload.Length >> shift));
                }
            }

            if (mask)
            {
                byte[] key = RandomBytes(random, 4);
                _output.Write(key);
                byte[] masked = new byte[payload.Length];
                for (int i = 0; i < payload.Length; i++)
                {
                    masked[i] = (byte)(payload[i] ^ key[i & 3]);
                }

                _output.Write(masked);
            }
            else
            {
                _output.Write(payload);
            }
        }

        public void RawHeader(byte first, int lengthCode, ulong length)
        {
            Mutated = true;
            _output.WriteByte(first);
            _output.WriteByte((byte)((_mask ? 0x80 : 0) | lengthCode));
            int bytes = lengthCode == 126 ? 2 : 8;
            for (int i = bytes - 1; i >= 0; i--)
            {
                _output.WriteByte((byte)(length >> (i * 8)));
            }

            if (_mask)
            {
                _output.Write(RandomBytes(random, 4));
            }
        }

        public void Raw(byte[] bytes)
        {
            Mutated = true;
            _output.Write(bytes);
        }
    }
}
