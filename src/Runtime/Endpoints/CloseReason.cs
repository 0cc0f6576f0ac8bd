using System.Text;

namespace Annotated.WebSockets;

/// <summary>Why a session closed: a <see cref="CloseCode"/> and a reason phrase of at most 123 UTF-8 bytes.</summary>
public sealed class CloseReason : IEquatable<CloseReason>
{
    /// <summary>The largest reason phrase, in UTF-8 bytes, that fits in a close frame.</summary>
    public const int MaxReasonPhraseBytes = 123;

    /// <summary>A normal closure with no reason phrase.</summary>
    public static CloseReason NormalClosure { get; } = new(CloseCode.NormalClosure);

    /// <summary>Creates a close reason.</summary>
    /// <param name="code">The close code; 1000–4999.</param>
    /// <param name="reasonPhrase">An optional phrase of at most 123 UTF-8 bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The code is outside 1000–4999.</exception>
    /// <exception cref="ArgumentException">The phrase is longer than 123 UTF-8 bytes.</exception>
    public CloseReason(CloseCode code, string? reasonPhrase = null)
    {
        if ((int)code is < 1000 or > 4999)
        {
            throw new ArgumentOutOfRangeException(nameof(code), (int)code, "A close code is between 1000 and 4999.");
        }

        reasonPhrase ??= string.Empty;
        if (reasonPhrase.Length > 0 && Encoding.UTF8.GetByteCount(reasonPhrase) > MaxReasonPhraseBytes)
        {
            throw new ArgumentException(
                $"A close reason phrase is at most {MaxReasonPhraseBytes} UTF-8 bytes; this one is {Encoding.UTF8.GetByteCount(reasonPhrase)}.",
                nameof(reasonPhrase));
        }

        Code = code;
        ReasonPhrase = reasonPhrase;
    }

    /// <summary>The close code.</summary>
    public CloseCode Code { get; }

    /// <summary>The reason phrase; empty when there is none.</summary>
    public string ReasonPhrase { get; }

    /// <inheritdoc />
    public bool Equals(CloseReason? other) =>
        other is not null && Code == other.Code && string.Equals(ReasonPhrase, other.ReasonPhrase, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CloseReason);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Code, ReasonPhrase);

    /// <inheritdoc />
    public override string ToString() =>
        ReasonPhrase.Length == 0 ? $"{(int)Code} {Code}" : $"{(int)Code} {Code}: {ReasonPhrase}";
}
