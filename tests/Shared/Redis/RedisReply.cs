using System.Globalization;
using System.Text;

namespace Annotated.WebSockets.Tests.Shared.Redis;

/// <summary>The RESP2 reply types (a nil bulk string and a nil array are both <see cref="Null"/>).</summary>
public enum RedisReplyKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
    Null,
}

/// <summary>
/// One parsed RESP2 reply, as <see cref="RedisCommands"/> read it off the wire. Error replies are values, not
/// exceptions: the <c>As…</c> accessors throw (with the reply in the message) when the reply is not what was expected.
/// </summary>
public sealed class RedisReply
{
    private RedisReply(RedisReplyKind kind, string? text, byte[]? bytes, long integer, IReadOnlyList<RedisReply> elements)
    {
        Kind = kind;
        Text = text;
        Bytes = bytes;
        Integer = integer;
        Elements = elements;
    }

    public static RedisReply Null { get; } = new(RedisReplyKind.Null, null, null, 0, []);

    public RedisReplyKind Kind { get; }

    /// <summary>The text of a simple string, an error or a bulk string (decoded as UTF-8); null otherwise.</summary>
    public string? Text { get; }

    /// <summary>The raw bytes of a bulk string; null otherwise.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The value of an integer reply; 0 otherwise.</summary>
    public long Integer { get; }

    /// <summary>The elements of an array reply (nested replies); empty otherwise.</summary>
    public IReadOnlyList<RedisReply> Elements { get; }

    public bool IsError => Kind == RedisReplyKind.Error;

    public bool IsNull => Kind == RedisReplyKind.Null;

    /// <summary>The element at <paramref name="index"/> of an array reply.</summary>
    public RedisReply this[int index] => AsArray()[index];

    public static RedisReply SimpleString(string text) => new(RedisReplyKind.SimpleString, text, null, 0, []);

    public static RedisReply Error(string text) => new(RedisReplyKind.Error, text, null, 0, []);

    public static RedisReply FromInteger(long value) => new(RedisReplyKind.Integer, null, null, value, []);

    public static RedisReply BulkString(byte[] bytes) => new(RedisReplyKind.BulkString, Encoding.UTF8.GetString(bytes), bytes, 0, []);

    public static RedisReply FromArray(IReadOnlyList<RedisReply> elements) => new(RedisReplyKind.Array, null, null, 0, elements);

    /// <summary>The text of a simple or bulk string; throws for any other reply (errors included).</summary>
    public string AsString() =>
        Kind is RedisReplyKind.SimpleString or RedisReplyKind.BulkString ? Text! : throw Unexpected("a string");

    /// <summary>The value of an integer reply; throws for any other reply.</summary>
    public long AsInteger() => Kind == RedisReplyKind.Integer ? Integer : throw Unexpected("an integer");

    /// <summary>The elements of an array reply; throws for any other reply.</summary>
    public IReadOnlyList<RedisReply> AsArray() => Kind == RedisReplyKind.Array ? Elements : throw Unexpected("an array");

    /// <summary>The reply written the way redis-cli prints it, on one line: <c>["message", "ch", "hi"]</c>, <c>(error) ERR …</c>.</summary>
    public override string ToString() => Kind switch
    {
        RedisReplyKind.SimpleString => Text!,
        RedisReplyKind.Error => $"(error) {Text}",
        RedisReplyKind.Integer => string.Create(CultureInfo.InvariantCulture, $"(integer) {Integer}"),
        RedisReplyKind.BulkString => $"\"{Text}\"",
        RedisReplyKind.Array => "[" + string.Join(", ", Elements) + "]",
        _ => "(nil)",
    };

    private InvalidOperationException Unexpected(string wanted) => new($"Expected {wanted} reply from Redis, got: {this}");
}
