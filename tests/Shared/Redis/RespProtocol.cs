using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>RESP2 on the wire (https://redis.io/docs/latest/develop/reference/protocol-spec/): commands out, replies in.</summary>
internal static class RespProtocol
{
    /// <summary>A command as an array of bulk strings: <c>*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n</c>.</summary>
    public static byte[] EncodeCommand(IReadOnlyList<ReadOnlyMemory<byte>> args)
    {
        var writer = new ArrayBufferWriter<byte>();
        WriteLine(writer, '*', args.Count);
        foreach (var arg in args)
        {
            WriteLine(writer, '$', arg.Length);
            writer.Write(arg.Span);
            writer.Write("\r\n"u8);
        }

        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Parses one complete reply starting at <paramref name="position"/> and moves past it; false (position unchanged)
    /// when <paramref name="buffer"/> ends before the reply does.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> buffer, ref int position, out RedisReply reply)
    {
        reply = RedisReply.Null;
        int pos = position;
        if (!TryReadLine(buffer, ref pos, out var line))
        {
            return false;
        }

        if (line.IsEmpty)
        {
            throw new InvalidDataException("Empty RESP line.");
        }

        var rest = line[1..];
        switch ((char)line[0])
        {
            case '+':
                reply = RedisReply.SimpleString(Encoding.UTF8.GetString(rest));
                break;
            case '-':
                reply = RedisReply.Error(Encoding.UTF8.GetString(rest));
                break;
            case ':':
                reply = RedisReply.FromInteger(ParseInteger(rest));
                break;
            case '$':
            {
                long length = ParseInteger(rest);
                if (length < 0)
                {
                    break;
                }

                if (buffer.Length - pos < length + 2)
                {
                    return false;
                }

                reply = RedisReply.BulkString(buffer.Slice(pos, (int)length).ToArray());
                pos += (int)length + 2;
                break;
            }
            case '*':
            {
                long count = ParseInteger(rest);
                if (count < 0)
                {
                    break;
                }

                var elements = new RedisReply[count];
                for (int i = 0; i < count; i++)
                {
                    if (!TryParse(buffer, ref pos, out elements[i]))
                    {
                        return false;
                    }
                }

                reply = RedisReply.FromArray(elements);
                break;
            }
            default:
                throw new InvalidDataException(
                    $"Unsupported RESP type '{(char)line[0]}' (this client speaks RESP2; do not send HELLO 3): {Encoding.UTF8.GetString(line)}");
        }

        position = pos;
        return true;
    }

    private static bool TryReadLine(ReadOnlySpan<byte> buffer, ref int position, out ReadOnlySpan<byte> line)
    {
        int end = buffer[position..].IndexOf("\r\n"u8);
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(position, end);
        position += end + 2;
        return true;
    }

    private static long ParseInteger(ReadOnlySpan<byte> text) =>
        Utf8Parser.TryParse(text, out long value, out int consumed) && consumed == text.Length
            ? value
            : throw new InvalidDataException($"Not a RESP integer: '{Encoding.UTF8.GetString(text)}'.");

    private static void WriteLine(ArrayBufferWriter<byte> writer, char prefix, int value)
    {
        writer.Write([(byte)prefix]);
        writer.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
        writer.Write("\r\n"u8);
    }
}
