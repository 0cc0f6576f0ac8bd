using System.Diagnostics;
using System.Text;
using System.Text.Unicode;

namespace Annotated.WebSockets;

/// <summary>
/// A text message as its UTF-8 bytes, always valid UTF-8. Take it as an <see cref="OnMessageAttribute"/> parameter,
/// return it, or send it with <see cref="IBasicRemoteEndpoint.SendTextAsync(Utf8Text, CancellationToken)"/>, to handle
/// text without turning it into a UTF-16 <see cref="string"/> and back: the runtime hands over the bytes it
/// received (already checked to be UTF-8, as every text message is) and sends the bytes it is given, so a relay or a
/// System.Text.Json reader of UTF-8 pays for no transcoding.
/// </summary>
/// <remarks>
/// A received value points into the session's receive buffer: it is valid only while the handler runs, and a value
/// the handler returns is sent before the buffer is reused. Copy it (<see cref="ToArray"/>, <see cref="ToString"/>)
/// to keep it. <c>default</c> is the empty text.
/// </remarks>
public readonly struct Utf8Text : IEquatable<Utf8Text>
{
    private readonly ReadOnlyMemory<byte> _utf8;

    /// <summary>Wraps UTF-8 bytes after checking that they are valid UTF-8.</summary>
    /// <param name="utf8">The text's UTF-8 bytes (no byte order mark is removed). They are not copied: do not change them while the value is in use.</param>
    /// <exception cref="ArgumentException">The bytes are not valid UTF-8.</exception>
    public Utf8Text(ReadOnlyMemory<byte> utf8)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            throw new ArgumentException("The bytes are not valid UTF-8; a text message must be.", nameof(utf8));
        }

        _utf8 = utf8;
    }

    /// <summary>Encodes <paramref name="text"/> as UTF-8 into a new array.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="ArgumentException">The text has a lone surrogate, which UTF-8 cannot encode.</exception>
    public Utf8Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            _utf8 = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("The text has a lone surrogate, which UTF-8 cannot encode.", nameof(text), ex);
        }
    }

    // For bytes the engine already validated (every received text message is): no second pass over them.
    private Utf8Text(ReadOnlyMemory<byte> utf8, bool alreadyValidated)
    {
        Debug.Assert(alreadyValidated && Utf8.IsValid(utf8.Span), "the engine validates every text message");
        _utf8 = utf8;
    }

    /// <summary>The empty text.</summary>
    public static Utf8Text Empty => default;

    /// <summary>The UTF-8 bytes.</summary>
    public ReadOnlyMemory<byte> Memory => _utf8;

    /// <summary>The UTF-8 bytes, as a span.</summary>
    public ReadOnlySpan<byte> Span => _utf8.Span;

    /// <summary>The length in bytes (not characters).</summary>
    public int Length => _utf8.Length;

    /// <summary>Whether the text is empty.</summary>
    public bool IsEmpty => _utf8.IsEmpty;

    private static UTF8Encoding StrictUtf8 { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether two texts have the same bytes (ordinal comparison).</summary>
    public static bool operator ==(Utf8Text left, Utf8Text right) => left.Equals(right);

    /// <summary>Whether two texts differ in their bytes.</summary>
    public static bool operator !=(Utf8Text left, Utf8Text right) => !left.Equals(right);

    /// <summary>Decodes the text into a new <see cref="string"/>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(_utf8.Span);

    /// <summary>Copies the bytes into a new array, to keep them after the handler returns.</summary>
    /// <returns>The UTF-8 bytes.</returns>
    public byte[] ToArray() => _utf8.ToArray();

    /// <summary>Whether <paramref name="other"/> has the same bytes (ordinal comparison).</summary>
    /// <param name="other">The text to compare with.</param>
    /// <returns>True when the bytes are equal.</returns>
    public bool Equals(Utf8Text other) => _utf8.Span.SequenceEqual(other._utf8.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Utf8Text other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_utf8.Span);
        return hash.ToHashCode();
    }

    /// <summary>Wraps bytes the protocol engine has already validated as UTF-8, without checking them again.</summary>
    internal static Utf8Text FromValidated(ReadOnlyMemory<byte> utf8) => new(utf8, alreadyValidated: true);
}
